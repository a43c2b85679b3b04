package images;

import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.awt.geom.AffineTransform;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;
import support.PhotoCorpus;

/**
 * CPU time of {@link ImageInspector} per MiB validated, for a normal photo and for the worst cases a 20 MiB upload
 * can be (BENCHMARKS.md, "Photo validation"). Files are inspected from disk, as intake does; each case is warmed up,
 * then timed over enough runs to cover about 200 MiB, and the thread's CPU time (not wall time) is divided by the
 * bytes inspected. Also times the remedy the orientation note replaced: decoding, turning and re-encoding a
 * 12-megapixel JPEG.
 *
 * <p>Run: {@code mvn -o -q test-compile && java -cp target/classes:target/test-classes:$(cat cp.txt)
 * images.ValidationBenchmark} (cp.txt from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
public final class ValidationBenchmark {

    private static final int MIB = 1024 * 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("validation-bench");
        try {
            byte[] photo = TestImages.jpeg(4 * MIB);
            report("normal photo: 4 MiB baseline JPEG", dir, photo);
            report("normal photo: 4 MiB motion photo (3 MiB JPEG + 1 MiB MP4 after EOI)", dir,
                    PhotoCorpus.concat(TestImages.jpeg(3 * MIB), new byte[MIB]));
            report("normal photo: 4 MiB PNG (CRC over every byte)", dir, TestImages.png(4 * MIB));
            report("worst JPEG: 20 MiB scan of 0xFF 0x00 pairs (a stuffed byte every 2 bytes)", dir,
                    jpegWithScan(20 * MIB, new byte[] {(byte) 0xFF, 0x00}));
            report("worst JPEG: 20 MiB scan of 0xFF fill bytes (one marker check per byte)", dir,
                    jpegWithScan(20 * MIB, new byte[] {(byte) 0xFF}));
            report("worst JPEG: 20 MiB of 4-byte segments (refused after 4096)", dir,
                    PhotoCorpus.jpegSegmentFlood(5 * MIB));
            report("worst PNG: 20 MiB PNG", dir, TestImages.png(20 * MIB));
            report("worst PNG: 65,528 empty chunks and a 19 MiB one (just under the cap)", dir, pngChunkFlood());
            orientationRemedyCost();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(String name, Path dir, byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve("case"), bytes);
        String verdict;
        try {
            ImageInfo info = ImageInspector.inspect(file);
            verdict = "accepted " + info.format().displayName() + " " + info.width() + "x" + info.height();
        } catch (InvalidImageException e) {
            verdict = "refused: " + e.getMessage();
        }
        int runs = (int) Math.max(5, 200L * MIB / bytes.length);
        for (int i = 0; i < runs; i++) {
            inspectQuietly(file);
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            inspectQuietly(file);
        }
        cpu = THREADS.getCurrentThreadCpuTime() - cpu;
        wall = System.nanoTime() - wall;
        double mib = (double) bytes.length / MIB;
        System.out.printf(Locale.ROOT, "%-75s %6.1f MiB  %8.3f ms CPU/file  %7.3f ms CPU/MiB  (%d runs, wall %.3f ms/file) %s%n",
                name, mib, cpu / 1e6 / runs, cpu / 1e6 / runs / mib, runs, wall / 1e6 / runs, verdict);
    }

    private static void inspectQuietly(Path file) throws Exception {
        try {
            ImageInspector.inspect(file);
        } catch (InvalidImageException expected) {
            // Refusals are timed too: how cheaply a hostile file is turned away is the point.
        }
    }

    /** A small JPEG's headers, then one scan of {@code size} bytes made of {@code pattern}, then EOI. */
    private static byte[] jpegWithScan(int size, byte[] pattern) {
        byte[] photo = PhotoCorpus.jpeg(16, 16);
        int sos = PhotoCorpus.indexOf(photo, new byte[] {(byte) 0xFF, (byte) 0xDA});
        int headerEnd = sos + 2 + ((photo[sos + 2] & 0xFF) << 8 | photo[sos + 3] & 0xFF);
        ByteBuffer out = ByteBuffer.allocate(headerEnd + size + 2);
        out.put(photo, 0, headerEnd);
        for (int i = 0; i < size; i++) {
            out.put(pattern[i % pattern.length]);
        }
        out.put((byte) 0xFF).put((byte) 0xD9);
        return out.array();
    }

    private static byte[] pngChunkFlood() {
        byte[] png = PhotoCorpus.png(8, 8);
        byte[] tiny = PhotoCorpus.pngChunk("tiNy", new byte[0]);
        int count = PngStructure.MAX_CHUNKS - 8;
        byte[] flood = new byte[tiny.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(tiny, 0, flood, i * tiny.length, tiny.length);
        }
        byte[] big = PhotoCorpus.pngChunk("biGg", new byte[19 * MIB]);
        return PhotoCorpus.concat(Arrays.copyOf(png, 33), flood, big, Arrays.copyOfRange(png, 33, png.length));
    }

    /** Decode, turn 90 degrees and re-encode a 12 MP (4000 x 3000) JPEG with ImageIO: the remedy not chosen. */
    private static void orientationRemedyCost() throws Exception {
        byte[] photo = TestImages.encode("jpg", 4000, 3000);
        int runs = 5;
        long cpu = 0;
        for (int i = 0; i < runs + 2; i++) {
            long start = THREADS.getCurrentThreadCpuTime();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo));
            AffineTransform turn = new AffineTransform();
            turn.translate(image.getHeight(), 0);
            turn.quadrantRotate(1);
            BufferedImage turned = new AffineTransformOp(turn, AffineTransformOp.TYPE_NEAREST_NEIGHBOR)
                    .filter(image, new BufferedImage(image.getHeight(), image.getWidth(), image.getType()));
            emulator.TestImages.write(turned, "jpg");
            if (i >= 2) {
                cpu += THREADS.getCurrentThreadCpuTime() - start;
            }
        }
        System.out.printf(Locale.ROOT, "%-75s %6.1f MiB  %8.1f ms CPU/photo%n",
                "orientation by re-encoding: decode + turn + encode a 12 MP JPEG", photo.length / (double) MIB,
                cpu / 1e6 / runs);
        long start = THREADS.getCurrentThreadCpuTime();
        int notes = 0;
        for (int i = 0; i < 1_000_000; i++) {
            notes += Orientation.values()[i & 7].promptNote() == null ? 0 : 1;
        }
        System.out.printf(Locale.ROOT, "%-75s %6s      %8.5f ms CPU/photo (%d notes)%n",
                "orientation by prompt note: the note's text", "", (THREADS.getCurrentThreadCpuTime() - start) / 1e6 / 1_000_000, notes);
    }
}
