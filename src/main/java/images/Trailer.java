package images;

import java.io.IOException;

/** The rule for bytes after an image's logical end: zero padding is tolerated, anything else is not. */
final class Trailer {

    private Trailer() {
    }

    /** Rejects non-zero bytes from {@code end} on; a hidden payload after the image is how polyglot files pass checks. */
    static void requireOnlyPadding(ByteSource source, long end, String format) throws IOException, InvalidImageException {
        if (source.lastNonZero() >= end) {
            throw new InvalidImageException("is a corrupt " + format + " (unexpected data after the end of the image)");
        }
    }
}
