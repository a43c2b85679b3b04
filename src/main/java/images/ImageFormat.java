package images;

import java.util.Locale;

/** The image formats Panel One accepts, with the MIME type and file extension each is stored under. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp");

    private final String mimeType;
    private final String extension;

    ImageFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The extension without a dot, e.g. {@code jpg}. */
    public String extension() {
        return extension;
    }

    /**
     * The format a declared Content-Type names; parameters and case are ignored, and the
     * non-standard JPEG aliases browsers still send are understood.
     *
     * @throws IllegalArgumentException if the type is missing or not one of the accepted formats
     */
    public static ImageFormat fromMimeType(String mimeType) {
        if (mimeType == null) {
            throw new IllegalArgumentException("no image type given");
        }
        int semicolon = mimeType.indexOf(';');
        String type = (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> JPEG;
            case "image/png" -> PNG;
            case "image/webp" -> WEBP;
            default -> throw new IllegalArgumentException("unsupported image type: " + mimeType);
        };
    }
}
