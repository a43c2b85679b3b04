package clients;

import images.Orientation;

/**
 * A photo uploaded through Gemini's Files API, referenced by both model calls instead of being sent twice.
 *
 * @param name the resource name, {@code files/…}, used to delete it
 * @param uri what a {@code fileData} part points at
 * @param mimeType e.g. {@code image/jpeg}
 * @param orientation which way up the photo is meant to be seen, told to the model next to the photo
 */
public record GeminiFile(String name, String uri, String mimeType, Orientation orientation) {

    public GeminiFile {
        orientation = orientation == null ? Orientation.NORMAL : orientation;
    }

    public GeminiFile(String name, String uri, String mimeType) {
        this(name, uri, mimeType, Orientation.NORMAL);
    }
}
