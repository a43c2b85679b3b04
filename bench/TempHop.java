import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * What the API's temp-file hop costs a job: four 1 MiB photos written to a temp file in 64 KiB writes, read back
 * and deleted, on one thread, nothing else. The ceiling of what streaming each photo straight from the request to
 * storage would save. Run it with {@code java -XX:TieredStopAtLevel=1 bench/TempHop.java [JOBS]} (the API image's
 * compiler; JDK 25 source launcher); BENCHMARKS.md ("Every lever the issue names") compares it with P1's API part.
 */
public class TempHop {
    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        byte[] photo = new byte[1 << 20];
        new Random(1).nextBytes(photo);
        byte[] buffer = new byte[64 * 1024];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("temp-hop-");
        try {
            for (int round = 0; round < 6; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                for (int job = 0; job < jobs; job++) {
                    for (int part = 0; part < 4; part++) {
                        Path file = dir.resolve("part-" + part);
                        try (OutputStream out = Files.newOutputStream(file)) {
                            for (int at = 0; at < photo.length; at += buffer.length) {
                                out.write(photo, at, buffer.length);
                            }
                        }
                        try (InputStream in = Files.newInputStream(file)) {
                            while (in.read(buffer) > 0) {
                                // read back, as the storage client reads the file to send it
                            }
                        }
                        Files.delete(file);
                    }
                }
                System.out.printf("round %d: %.3f ms of CPU a job (4 x 1 MiB to a temp file, read back, deleted)%n",
                        round, (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / jobs);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
