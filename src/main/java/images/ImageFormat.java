package images;

import java.util.Locale;

/** The image formats Panel One accepts (those Gemini takes), with the MIME type and extension each is stored under. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg", "JPEG"),
    PNG("image/png", "png", "PNG"),
    WEBP("image/webp", "webp", "WebP"),
    /** HEIF whose brands say HEVC-coded images: what iPhones save. */
    HEIC("image/heic", "heic", "HEIC"),
    /** Any other HEIF (brand {@code mif1} and friends). */
    HEIF("image/heif", "heif", "HEIF");

    private final String mimeType;
    private final String extension;
    private final String displayName;

    ImageFormat(String mimeType, String extension, String displayName) {
        this.mimeType = mimeType;
        this.extension = extension;
        this.displayName = displayName;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The extension without a dot, e.g. {@code jpg}. */
    public String extension() {
        return extension;
    }

    /** How people write the format's name, e.g. {@code WebP}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Whether a file whose bytes are this format may be declared as {@code declared}. HEIC is a kind of HEIF and
     * browsers and phones use the two types loosely for the same {@code .heic} file, so either is accepted for either.
     */
    public boolean mayBeDeclaredAs(ImageFormat declared) {
        return declared == this || (isHeif() && declared.isHeif());
    }

    public boolean isHeif() {
        return this == HEIC || this == HEIF;
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
            case "image/heic", "image/heic-sequence" -> HEIC;
            case "image/heif", "image/heif-sequence" -> HEIF;
            default -> throw new IllegalArgumentException("unsupported image type: " + mimeType);
        };
    }

    /**
     * The format a stored input's object name ends in. Intake names every object with the extension of what its
     * bytes were found to be, so the worker learns the type from the name instead of inspecting the photo again.
     *
     * @throws IllegalArgumentException if the name has none of the formats' extensions
     */
    public static ImageFormat fromObjectName(String objectName) {
        String lower = objectName.toLowerCase(Locale.ROOT);
        for (ImageFormat format : values()) {
            if (lower.endsWith("." + format.extension)) {
                return format;
            }
        }
        throw new IllegalArgumentException("no image extension in " + objectName);
    }
}
