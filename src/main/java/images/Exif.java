package images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the one EXIF tag Panel One needs, Orientation, from a TIFF-structured EXIF block.
 *
 * <p>Lenient on purpose: broken EXIF is common in edited photos and says nothing about whether the pixels decode,
 * so a block that cannot be read just means "no orientation", never a refusal.
 */
final class Exif {

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int SHORT = 3;
    /** IFD0 of a camera photo has a few dozen entries; more is garbage, and not worth walking. */
    private static final int MAX_ENTRIES = 1000;

    private Exif() {
    }

    /**
     * The orientation in the EXIF block at {@code [start, start + length)}, which may begin with the
     * {@code Exif\0\0} prefix JPEG's APP1 uses (some PNG and WebP writers copy it too).
     */
    static Orientation orientation(ByteSource source, long start, long length) throws IOException {
        long end = start + length;
        long tiff = start;
        if (length >= 6 && source.window(start, 4, ByteOrder.BIG_ENDIAN).getInt() == 0x45786966 /* Exif */) {
            tiff += 6;
        }
        if (tiff + 8 > end) {
            return Orientation.NORMAL;
        }
        ByteBuffer header = source.window(tiff, 8, ByteOrder.BIG_ENDIAN);
        short byteOrder = header.getShort(0);
        ByteOrder order;
        if (byteOrder == 0x4949) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (byteOrder == 0x4D4D) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            return Orientation.NORMAL;
        }
        header.order(order);
        if (header.getShort(2) != 42) {
            return Orientation.NORMAL;
        }
        long ifd = tiff + (header.getInt(4) & 0xFFFFFFFFL);
        if (ifd + 2 > end) {
            return Orientation.NORMAL;
        }
        int entries = source.window(ifd, 2, order).getShort() & 0xFFFF;
        for (int i = 0; i < Math.min(entries, MAX_ENTRIES); i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > end) {
                break;
            }
            ByteBuffer field = source.window(entry, 12, order);
            int tag = field.getShort(0) & 0xFFFF;
            if (tag == ORIENTATION_TAG) {
                return field.getShort(2) == SHORT ? Orientation.fromExif(field.getShort(8) & 0xFFFF) : Orientation.NORMAL;
            }
        }
        return Orientation.NORMAL;
    }
}
