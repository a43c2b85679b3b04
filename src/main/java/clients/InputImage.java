package clients;

/**
 * One photo handed to Gemini as an inline part.
 *
 * @param name the file name, for logs and messages
 * @param mimeType e.g. {@code image/jpeg}
 * @param bytes the encoded image
 */
public record InputImage(String name, String mimeType, byte[] bytes) {

    @Override
    public String toString() {
        return "InputImage[" + name + ", " + mimeType + ", " + bytes.length + " bytes]";
    }
}
