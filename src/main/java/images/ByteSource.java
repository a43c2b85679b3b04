package images;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/** Random access to the bytes under inspection, in memory or in a file, without copying either whole. */
abstract class ByteSource {

    /** Headers are read through one small buffer, so walking a file's structure allocates almost nothing. */
    private final ByteBuffer scratch = ByteBuffer.allocate(16);

    abstract long size();

    /** Fills {@code dst} from {@code position}; the range must lie within the source. */
    abstract void read(long position, ByteBuffer dst) throws IOException;

    abstract void updateCrc(CRC32 crc, long position, long length) throws IOException;

    /** The position of the last byte that is not zero, or -1 if every byte is zero. */
    abstract long lastNonZero() throws IOException;

    static ByteSource of(byte[] bytes) {
        return new Memory(bytes);
    }

    static ByteSource of(FileChannel channel) throws IOException {
        return new File(channel);
    }

    /**
     * {@code length} (at most 16) bytes from {@code position} in the given byte order.
     *
     * @throws EOFException if they run past the end, which the inspector reports as truncation
     */
    final ByteBuffer window(long position, int length, ByteOrder order) throws IOException {
        if (position < 0 || position + length > size()) {
            throw new EOFException();
        }
        scratch.clear().limit(length);
        read(position, scratch);
        return scratch.flip().order(order);
    }

    final int u8(long position) throws IOException {
        return window(position, 1, ByteOrder.BIG_ENDIAN).get() & 0xFF;
    }

    /** Bytes already on the heap: read in place. */
    private static final class Memory extends ByteSource {
        private final byte[] bytes;

        Memory(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        long size() {
            return bytes.length;
        }

        @Override
        void read(long position, ByteBuffer dst) {
            dst.put(bytes, (int) position, dst.remaining());
        }

        @Override
        void updateCrc(CRC32 crc, long position, long length) {
            crc.update(bytes, (int) position, (int) length);
        }

        @Override
        long lastNonZero() {
            int i = bytes.length - 1;
            while (i >= 0 && bytes[i] == 0) {
                i--;
            }
            return i;
        }
    }

    /** A file read with positional reads, so only the parts a check needs are touched. */
    private static final class File extends ByteSource {
        private static final int BLOCK = 32 * 1024;

        private final FileChannel channel;
        private final long size;
        private ByteBuffer block;

        File(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        @Override
        long size() {
            return size;
        }

        @Override
        void read(long position, ByteBuffer dst) throws IOException {
            long at = position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, at);
                if (n < 0) {
                    throw new EOFException();
                }
                at += n;
            }
        }

        @Override
        void updateCrc(CRC32 crc, long position, long length) throws IOException {
            ByteBuffer buffer = block();
            long at = position;
            long end = position + length;
            while (at < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
                read(at, buffer);
                crc.update(buffer.flip());
                at += buffer.limit();
            }
        }

        @Override
        long lastNonZero() throws IOException {
            // Almost every file ends in a non-zero byte, so look at its last few before reading blocks.
            int tail = (int) Math.min(size, 16);
            ByteBuffer last = window(size - tail, tail, ByteOrder.BIG_ENDIAN);
            for (int i = tail - 1; i >= 0; i--) {
                if (last.get(i) != 0) {
                    return size - tail + i;
                }
            }
            ByteBuffer buffer = block();
            long end = size - tail;
            while (end > 0) {
                long start = Math.max(0, end - buffer.capacity());
                buffer.clear().limit((int) (end - start));
                read(start, buffer);
                for (int i = buffer.limit() - 1; i >= 0; i--) {
                    if (buffer.get(i) != 0) {
                        return start + i;
                    }
                }
                end = start;
            }
            return -1;
        }

        private ByteBuffer block() {
            if (block == null) {
                block = ByteBuffer.allocate((int) Math.min(BLOCK, Math.max(size, 1)));
            }
            return block;
        }
    }
}
