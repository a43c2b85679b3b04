package images;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * The bytes under inspection, in memory or in a file, read through one buffer.
 *
 * <p>A file is read in 64 KiB blocks: a JPEG's marker scan and a PNG's CRCs touch every byte, and one positional
 * read per byte or per header made a 20 MB file of tiny segments cost seconds of CPU. Bytes already on the heap
 * are the block themselves, so nothing is copied.
 */
final class ByteSource {

    private static final int BLOCK = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final FileChannel channel;
    private final long size;
    private final byte[] block;
    private final ByteBuffer blockBuffer;
    /** Headers are copied into one small buffer, so walking a file's structure allocates nothing per header. */
    private final ByteBuffer scratch = ByteBuffer.allocate(16);
    private long blockStart;
    private int blockLength;

    private ByteSource(byte[] bytes) {
        this.channel = null;
        this.size = bytes.length;
        this.block = bytes;
        this.blockBuffer = null;
        this.blockLength = bytes.length;
    }

    private ByteSource(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.block = new byte[(int) Math.min(BLOCK, Math.max(size, 1))];
        this.blockBuffer = ByteBuffer.wrap(block);
        this.blockStart = 0;
        this.blockLength = 0;
    }

    static ByteSource of(byte[] bytes) {
        return new ByteSource(bytes);
    }

    static ByteSource of(FileChannel channel) throws IOException {
        return new ByteSource(channel);
    }

    long size() {
        return size;
    }

    /** The byte at {@code position}. */
    int u8(long position) throws IOException {
        long offset = position - blockStart;
        if (offset < 0 || offset >= blockLength) {
            offset = load(position, 1);
        }
        return block[(int) offset] & 0xFF;
    }

    /**
     * {@code length} (at most 16) bytes from {@code position} in the given byte order.
     *
     * @throws EOFException if they run past the end, which the inspector reports as truncation
     */
    ByteBuffer window(long position, int length, ByteOrder order) throws IOException {
        long offset = position - blockStart;
        if (offset < 0 || offset + length > blockLength) {
            offset = load(position, length);
        }
        scratch.clear();
        scratch.put(block, (int) offset, length);
        return scratch.flip().order(order);
    }

    /** The position of the first byte equal to {@code value} at or after {@code from}, or -1 if there is none. */
    long indexOf(int value, long from) throws IOException {
        long at = from;
        while (at < size) {
            int offset = (int) (at - blockStart);
            if (at < blockStart || offset >= blockLength) {
                offset = (int) load(at, 1);
            }
            int found = indexIn(block, offset, blockLength, (byte) value);
            if (found >= 0) {
                return blockStart + found;
            }
            at = blockStart + blockLength;
        }
        return -1;
    }

    /**
     * The first index of {@code wanted} in {@code bytes[from, to)}, or -1. Eight bytes at a time: a JPEG's scan
     * data is searched whole for its next 0xFF, and the images' compiler (C1 only) neither vectorises nor hoists a
     * byte loop; this took a byte-wise loop over fields from about 1 ms to 0.3 ms a MiB (BENCHMARKS.md, "Hot loops
     * under C1").
     */
    static int indexIn(byte[] bytes, int from, int to, byte wanted) {
        long pattern = (wanted & 0xFFL) * ONES;
        int i = from;
        for (; i <= to - 8; i += 8) {
            long x = (long) LONGS.get(bytes, i) ^ pattern;
            // The lowest byte flagged is the first equal one: a borrow starts only at an equal byte, so nothing
            // below the first one is flagged (bytes above it may be, and are never chosen).
            long equal = (x - ONES) & ~x & HIGHS;
            if (equal != 0) {
                return i + (Long.numberOfTrailingZeros(equal) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** True when every byte from {@code from} to the end is zero. */
    boolean onlyZerosFrom(long from) throws IOException {
        long at = from;
        while (at < size) {
            int offset = (int) (at - blockStart);
            if (at < blockStart || offset >= blockLength) {
                offset = (int) load(at, 1);
            }
            for (int i = offset; i < blockLength; i++) {
                if (block[i] != 0) {
                    return false;
                }
            }
            at = blockStart + blockLength;
        }
        return true;
    }

    void updateCrc(CRC32 crc, long position, long length) throws IOException {
        long at = position;
        long end = position + length;
        if (end > size) {
            throw new EOFException();
        }
        while (at < end) {
            int offset = (int) (at - blockStart);
            if (at < blockStart || offset >= blockLength) {
                offset = (int) load(at, 1);
            }
            int n = (int) Math.min(blockLength - offset, end - at);
            crc.update(block, offset, n);
            at += n;
        }
    }

    /** Makes the block hold {@code [position, position + length)}; returns the position's offset in it. */
    private long load(long position, int length) throws IOException {
        if (position < 0 || position + length > size) {
            throw new EOFException();
        }
        if (channel == null) {
            return position;
        }
        int want = (int) Math.min(block.length, size - position);
        blockBuffer.clear().limit(want);
        long at = position;
        while (blockBuffer.hasRemaining()) {
            int n = channel.read(blockBuffer, at);
            if (n < 0) {
                // The file shrank under us; what was read is all there is.
                throw new EOFException();
            }
            at += n;
        }
        blockStart = position;
        blockLength = want;
        return 0;
    }
}
