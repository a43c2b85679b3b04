package images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteSourceTest {

    /** The byte-wise answer the eight-at-a-time search must give. */
    private static long expected(byte[] bytes, int value, long from) {
        for (long i = Math.max(0, from); i < bytes.length; i++) {
            if (bytes[(int) i] == (byte) value) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsEveryOccurrenceWhereverItFallsInAWord() throws Exception {
        Random random = new Random(3);
        for (int length = 0; length <= 40; length++) {
            for (int trial = 0; trial < 200; trial++) {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                // A byte that differs from 0xFF by one bit, beside one that is 0xFF: where a borrow would show.
                for (int i = 0; i < length; i++) {
                    bytes[i] = random.nextInt(4) == 0 ? (byte) 0xFF : random.nextBoolean() ? (byte) 0xFE : bytes[i];
                }
                ByteSource source = ByteSource.of(bytes);
                for (int from = 0; from <= length; from++) {
                    assertThat(source.indexOf(0xFF, from)).as("length %d from %d", length, from)
                            .isEqualTo(expected(bytes, 0xFF, from));
                    assertThat(source.indexOf(0x00, from)).isEqualTo(expected(bytes, 0x00, from));
                }
            }
        }
    }

    @Test
    void aFileIsSearchedAcrossItsBlocks(@TempDir Path folder) throws Exception {
        byte[] bytes = new byte[200_000];
        new Random(5).nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == (byte) 0xFF) {
                bytes[i] = 0x7F;
            }
        }
        // One just before a block's end, one just after, one at the very end of the file.
        int[] wanted = {65_535, 65_536 + 7, 131_071, 199_999};
        for (int at : wanted) {
            bytes[at] = (byte) 0xFF;
        }
        Path file = Files.write(folder.resolve("photo"), bytes);
        try (FileChannel channel = FileChannel.open(file)) {
            ByteSource source = ByteSource.of(channel);
            long from = 0;
            for (int at : wanted) {
                from = source.indexOf(0xFF, from);
                assertThat(from).isEqualTo(at);
                from++;
            }
            assertThat(source.indexOf(0xFF, from)).isEqualTo(-1);
        }
    }
}
