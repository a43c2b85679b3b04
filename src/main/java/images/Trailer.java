package images;

import java.io.IOException;

/**
 * The rule for bytes after a PNG's or WebP's logical end: zero padding is tolerated (some transfer tools pad to a
 * block size), anything else is refused.
 *
 * <p>Unlike JPEG (see {@link JpegStructure}), no camera or phone writes data after these formats' end: PNG comes
 * from screenshots and editors, WebP from browsers and converters. Bytes there are not a photo's; a hidden archive
 * or script after the image is how polyglot files get past checks that only look at the start.
 */
final class Trailer {

    private Trailer() {
    }

    static void requireOnlyPadding(ByteSource source, long end, ImageFormat format)
            throws IOException, InvalidImageException {
        if (!source.onlyZerosFrom(end)) {
            throw new InvalidImageException("is a corrupt " + format.displayName()
                    + " (unexpected data after the end of the image)");
        }
    }
}
