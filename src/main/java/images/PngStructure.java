package images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks a PNG's chunk structure: signature, IHDR first, every chunk in bounds with a correct CRC, IDAT, then IEND,
 * the format's own end. Bit depth and interlacing are the decoder's business: 16-bit and Adam7 PNGs pass.
 */
final class PngStructure {

    /**
     * libpng writes 8 KiB IDAT chunks, so a 20 MiB PNG is about 2,600 chunks, and an animated PNG adds two per
     * frame. More than this is a flood of tiny chunks, not a picture.
     */
    static final int MAX_CHUNKS = 65_536;

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static final int IHDR = fourCc("IHDR");
    private static final int IDAT = fourCc("IDAT");
    private static final int IEND = fourCc("IEND");
    private static final int EXIF = fourCc("eXIf");

    private PngStructure() {
    }

    static ImageInfo inspect(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
        ByteBuffer signature = source.window(0, SIGNATURE.length, ByteOrder.BIG_ENDIAN);
        for (byte expected : SIGNATURE) {
            if (signature.get() != expected) {
                // Usually a file sent through a text-mode transfer that rewrote the line endings.
                throw corrupt("bad signature");
            }
        }
        CRC32 crc = new CRC32();
        long size = source.size();
        long position = SIGNATURE.length;
        int width = 0;
        int height = 0;
        boolean sawData = false;
        Orientation orientation = Orientation.NORMAL;
        int chunks = 0;
        while (true) {
            if (++chunks > MAX_CHUNKS) {
                throw corrupt("more than " + MAX_CHUNKS + " chunks");
            }
            if (position + 12 > size) {
                throw new InvalidImageException("is a truncated PNG (no IEND chunk)");
            }
            ByteBuffer header = source.window(position, 8, ByteOrder.BIG_ENDIAN);
            long length = header.getInt() & 0xFFFFFFFFL;
            int type = header.getInt();
            if (length > Integer.MAX_VALUE || !isChunkType(type)) {
                throw corrupt("invalid chunk header at byte " + position);
            }
            long dataStart = position + 8;
            long next = dataStart + length + 4;
            if (next > size) {
                throw new InvalidImageException("is a truncated PNG (" + name(type) + " chunk runs past the end of the file)");
            }
            crc.reset();
            source.updateCrc(crc, position + 4, 4 + length);
            long stored = source.window(dataStart + length, 4, ByteOrder.BIG_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (crc.getValue() != stored) {
                throw corrupt("CRC mismatch in " + name(type) + " chunk");
            }
            if (position == SIGNATURE.length) {
                if (type != IHDR || length != 13) {
                    throw corrupt("first chunk is not IHDR");
                }
                ByteBuffer ihdr = source.window(dataStart, 8, ByteOrder.BIG_ENDIAN);
                width = ihdr.getInt();
                height = ihdr.getInt();
                // PNG caps both at 2^31-1, so a negative int is as invalid as zero.
                if (width <= 0 || height <= 0) {
                    throw new InvalidImageException("has no image dimensions");
                }
                limits.checkPixels(width, height);
            } else if (type == EXIF) {
                orientation = Exif.orientation(source, dataStart, length);
            } else if (type == IHDR) {
                throw corrupt("second IHDR chunk");
            } else if (type == IDAT) {
                sawData = true;
            } else if (type == IEND) {
                if (!sawData) {
                    throw corrupt("no IDAT chunk");
                }
                Trailer.requireOnlyPadding(source, next, ImageFormat.PNG);
                return new ImageInfo(ImageFormat.PNG, width, height, orientation);
            }
            position = next;
        }
    }

    private static boolean isChunkType(int type) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (type >>> shift) & 0xFF;
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static int fourCc(String name) {
        return ByteBuffer.wrap(name.getBytes(StandardCharsets.US_ASCII)).getInt();
    }

    private static String name(int type) {
        return new String(ByteBuffer.allocate(4).putInt(type).array(), StandardCharsets.US_ASCII);
    }

    private static InvalidImageException corrupt(String why) {
        return new InvalidImageException("is a corrupt PNG (" + why + ")");
    }
}
