package images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Checks a WebP's RIFF structure: the RIFF size, which is how the format marks its end, matches the file; the first
 * chunk is VP8, VP8L or VP8X with dimensions; every chunk lies within the file; and there is image data, a still
 * frame (lossy or lossless) or animation frames.
 */
final class WebpStructure {

    /** An animated WebP has one ANMF chunk per frame; thousands at most. More is a flood, not a picture. */
    static final int MAX_CHUNKS = 65_536;

    private static final int VP8 = fourCc("VP8 ");
    private static final int VP8L = fourCc("VP8L");
    private static final int VP8X = fourCc("VP8X");
    private static final int ANMF = fourCc("ANMF");
    private static final int EXIF = fourCc("EXIF");
    private static final int HEADER = 12;

    private WebpStructure() {
    }

    static ImageInfo inspect(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
        long size = source.size();
        long riffEnd = 8 + (source.window(4, 4, ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL);
        if (riffEnd > size) {
            throw new InvalidImageException("is a truncated WebP (the file is shorter than its RIFF header says)");
        }
        // See Trailer: zero padding is tolerated after the RIFF end, nothing else.
        if (riffEnd < size && !source.onlyZerosFrom(riffEnd)) {
            throw corrupt("the file is longer than its RIFF header says");
        }
        size = riffEnd;
        int[] dimensions = null;
        boolean sawData = false;
        Orientation orientation = Orientation.NORMAL;
        int chunks = 0;
        long position = HEADER;
        while (position < size) {
            if (++chunks > MAX_CHUNKS) {
                throw corrupt("more than " + MAX_CHUNKS + " chunks");
            }
            if (position + 8 > size) {
                throw new InvalidImageException("is a truncated WebP (a chunk header is cut off)");
            }
            ByteBuffer header = source.window(position, 8, ByteOrder.LITTLE_ENDIAN);
            int type = header.order(ByteOrder.BIG_ENDIAN).getInt();
            long length = header.order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            long data = position + 8;
            // Chunks are padded to an even length.
            long next = data + length + (length & 1);
            if (next > size) {
                throw new InvalidImageException("is a truncated WebP (" + name(type) + " chunk runs past the end of the file)");
            }
            if (type == VP8 || type == VP8L) {
                int[] frame = type == VP8 ? lossyFrame(source, data, length) : losslessFrame(source, data, length);
                if (dimensions == null) {
                    dimensions = frame;
                    limits.checkPixels(frame[0], frame[1]);
                }
                sawData = true;
            } else if (type == ANMF) {
                sawData = true;
            } else if (position == HEADER && type == VP8X) {
                dimensions = canvas(source, data, length);
                limits.checkPixels(dimensions[0], dimensions[1]);
            } else if (type == EXIF) {
                orientation = Exif.orientation(source, data, length);
            } else if (position == HEADER) {
                throw corrupt("the first chunk is " + name(type) + ", not VP8, VP8L or VP8X");
            }
            position = next;
        }
        if (dimensions == null) {
            throw new InvalidImageException("has no image dimensions");
        }
        if (!sawData) {
            throw corrupt("no image data");
        }
        return new ImageInfo(ImageFormat.WEBP, dimensions[0], dimensions[1], orientation);
    }

    /** VP8 key frame header: frame tag, start code 9D 01 2A, then 14-bit width and height. */
    private static int[] lossyFrame(ByteSource source, long data, long length) throws IOException, InvalidImageException {
        if (length < 10) {
            throw corrupt("VP8 chunk too short");
        }
        ByteBuffer frame = source.window(data, 10, ByteOrder.LITTLE_ENDIAN);
        boolean keyFrame = (frame.get(0) & 1) == 0;
        if (!keyFrame || frame.get(3) != (byte) 0x9D || frame.get(4) != 0x01 || frame.get(5) != 0x2A) {
            throw corrupt("bad VP8 frame header");
        }
        int width = frame.getShort(6) & 0x3FFF;
        int height = frame.getShort(8) & 0x3FFF;
        if (width == 0 || height == 0) {
            throw new InvalidImageException("has no image dimensions");
        }
        return new int[] {width, height};
    }

    /** VP8L header: signature 0x2F, then 14-bit width-1 and height-1, an alpha bit and a 3-bit version that must be 0. */
    private static int[] losslessFrame(ByteSource source, long data, long length) throws IOException, InvalidImageException {
        if (length < 5) {
            throw corrupt("VP8L chunk too short");
        }
        ByteBuffer frame = source.window(data, 5, ByteOrder.LITTLE_ENDIAN);
        int bits = frame.getInt(1);
        if (frame.get(0) != 0x2F || bits >>> 29 != 0) {
            throw corrupt("bad VP8L header");
        }
        return new int[] {(bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1};
    }

    /** VP8X: flags, 3 reserved bytes, then 24-bit canvas width-1 and height-1. */
    private static int[] canvas(ByteSource source, long data, long length) throws IOException, InvalidImageException {
        if (length < 10) {
            throw corrupt("VP8X chunk too short");
        }
        ByteBuffer header = source.window(data + 4, 6, ByteOrder.LITTLE_ENDIAN);
        return new int[] {u24(header, 0) + 1, u24(header, 3) + 1};
    }

    private static int u24(ByteBuffer buffer, int index) {
        return (buffer.get(index) & 0xFF) | (buffer.get(index + 1) & 0xFF) << 8 | (buffer.get(index + 2) & 0xFF) << 16;
    }

    private static int fourCc(String name) {
        return ByteBuffer.wrap(name.getBytes(StandardCharsets.US_ASCII)).getInt();
    }

    private static String name(int type) {
        StringBuilder name = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (type >>> shift) & 0xFF;
            // A corrupt file's chunk id is arbitrary bytes; keep the message printable.
            name.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return name.toString().trim();
    }

    private static InvalidImageException corrupt(String why) {
        return new InvalidImageException("is a corrupt WebP (" + why + ")");
    }
}
