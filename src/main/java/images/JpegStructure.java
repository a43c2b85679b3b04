package images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks a JPEG the way the format defines it: SOI, header segments in bounds, a frame header with dimensions,
 * then every scan's entropy-coded data read through to the end-of-image marker.
 *
 * <p>Whatever follows that marker is allowed and not read: phones put real data there. A Pixel or Samsung motion
 * photo appends an MP4, MPO and Ultra HDR photos append a second JPEG (the gain map), Samsung appends its own
 * trailer. A decoder stops at the marker, so the extra bytes never reach a picture, and the photo only ever goes to
 * Gemini, never out to a browser where a polyglot could matter.
 */
final class JpegStructure {

    /**
     * A camera JPEG has ten to thirty segments; a progressive one a few dozen more (a table and a scan header per
     * scan); an ICC profile is split over at most 255. More than this is a flood, not a photo.
     */
    static final int MAX_SEGMENTS = 4096;

    private static final int SOF0 = 0xC0;
    private static final int SOF15 = 0xCF;
    private static final int DHT = 0xC4;
    private static final int JPG = 0xC8;
    private static final int DAC = 0xCC;
    private static final int RST0 = 0xD0;
    private static final int RST7 = 0xD7;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int APP1 = 0xE1;
    private static final int TEM = 0x01;

    private JpegStructure() {
    }

    static ImageInfo inspect(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
        long size = source.size();
        long position = 2;
        int width = 0;
        int height = 0;
        int segments = 0;
        boolean sawScan = false;
        boolean sawExif = false;
        Orientation orientation = Orientation.NORMAL;
        while (true) {
            if (position >= size) {
                throw truncated(sawScan ? "no end-of-image marker" : "ends inside its headers");
            }
            if (source.u8(position) != 0xFF) {
                throw corrupt("expected a marker at byte " + position);
            }
            // Any number of 0xFF fill bytes may precede a marker.
            position = skipFill(source, position);
            if (position >= size) {
                throw truncated(sawScan ? "no end-of-image marker" : "ends inside its headers");
            }
            int marker = source.u8(position++);
            if (marker == TEM || marker >= RST0 && marker <= RST7) {
                continue;
            }
            if (marker == 0x00 || marker == SOI) {
                throw corrupt("misplaced marker at byte " + (position - 2));
            }
            if (marker == EOI) {
                if (!sawScan) {
                    throw width == 0 ? new InvalidImageException("has no image dimensions") : corrupt("no image data");
                }
                return new ImageInfo(ImageFormat.JPEG, width, height, orientation);
            }
            if (position + 2 > size) {
                throw truncated("ends inside its headers");
            }
            int length = source.window(position, 2, ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
            if (length < 2) {
                throw corrupt("invalid segment length at byte " + position);
            }
            if (position + length > size) {
                throw truncated("a segment runs past the end of the file");
            }
            if (++segments > MAX_SEGMENTS) {
                throw corrupt("more than " + MAX_SEGMENTS + " segments");
            }
            if (isFrameHeader(marker)) {
                if (length < 8) {
                    throw corrupt("frame header too short");
                }
                ByteBuffer frame = source.window(position + 3, 4, ByteOrder.BIG_ENDIAN);
                height = frame.getShort() & 0xFFFF;
                width = frame.getShort() & 0xFFFF;
                // Height 0 means "defined later by a DNL marker", which decoders in practice refuse.
                if (width == 0 || height == 0) {
                    throw new InvalidImageException("has no image dimensions");
                }
                limits.checkPixels(width, height);
            } else if (marker == APP1 && !sawExif && length >= 8
                    && source.window(position + 2, 4, ByteOrder.BIG_ENDIAN).getInt() == 0x45786966 /* Exif */) {
                sawExif = true;
                orientation = Exif.orientation(source, position + 2, length - 2);
            } else if (marker == SOS) {
                if (width == 0) {
                    throw new InvalidImageException("has no image dimensions");
                }
                sawScan = true;
                position = endOfEntropyData(source, position + length);
                continue;
            }
            position += length;
        }
    }

    /**
     * Where a scan's entropy-coded data ends: at the first 0xFF that starts a marker. Inside the data a 0xFF is
     * followed by 0x00 (a stuffed byte) or is a restart marker; neither ends the scan.
     */
    private static long endOfEntropyData(ByteSource source, long from) throws IOException, InvalidImageException {
        long size = source.size();
        long position = from;
        while (true) {
            position = source.indexOf(0xFF, position);
            if (position < 0 || position + 1 >= size) {
                throw truncated("no end-of-image marker");
            }
            int next = source.u8(position + 1);
            if (next == 0x00 || next >= RST0 && next <= RST7) {
                position += 2;
            } else if (next == 0xFF) {
                // Fill bytes before a marker: the marker is where the run ends.
                position++;
            } else {
                return position;
            }
        }
    }

    private static long skipFill(ByteSource source, long position) throws IOException {
        long size = source.size();
        long at = position;
        while (at < size && source.u8(at) == 0xFF) {
            at++;
        }
        return at;
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= SOF0 && marker <= SOF15 && marker != DHT && marker != JPG && marker != DAC;
    }

    private static InvalidImageException truncated(String why) {
        return new InvalidImageException("is a truncated JPEG (" + why + ")");
    }

    private static InvalidImageException corrupt(String why) {
        return new InvalidImageException("is a corrupt JPEG (" + why + ")");
    }
}
