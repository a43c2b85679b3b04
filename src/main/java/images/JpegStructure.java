package images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks a JPEG's marker structure: SOI, header segments in bounds, a frame header with dimensions,
 * a scan, and the end-of-image marker at the end of the file. The entropy-coded data is not read.
 */
final class JpegStructure {

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
    private static final int TEM = 0x01;

    private JpegStructure() {
    }

    static ImageInfo inspect(ByteSource source) throws IOException, InvalidImageException {
        long size = source.size();
        long position = 2;
        int width = 0;
        int height = 0;
        while (true) {
            if (position >= size) {
                throw truncated("ends inside its headers");
            }
            if (source.u8(position) != 0xFF) {
                throw corrupt("expected a marker at byte " + position);
            }
            // Any number of 0xFF fill bytes may precede a marker.
            while (position < size && source.u8(position) == 0xFF) {
                position++;
            }
            if (position >= size) {
                throw truncated("ends inside its headers");
            }
            int marker = source.u8(position++);
            if (marker == TEM || marker >= RST0 && marker <= RST7) {
                continue;
            }
            if (marker == 0x00 || marker == SOI) {
                throw corrupt("misplaced marker at byte " + (position - 2));
            }
            if (marker == EOI) {
                throw width == 0 ? new InvalidImageException("has no image dimensions") : corrupt("no image data");
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
            } else if (marker == SOS) {
                if (width == 0) {
                    throw new InvalidImageException("has no image dimensions");
                }
                requireEndOfImage(source, position + length);
                return new ImageInfo(ImageFormat.JPEG, width, height);
            }
            position += length;
        }
    }

    /** A cut-off upload keeps valid headers, so the end marker is the cheap proof the scan data is all there. */
    private static void requireEndOfImage(ByteSource source, long scanStart) throws IOException, InvalidImageException {
        long last = source.lastNonZero();
        if (last - 1 < scanStart || source.u8(last) != EOI || source.u8(last - 1) != 0xFF) {
            throw truncated("no end-of-image marker");
        }
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
