import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * The physical floor of one Panel One job on this CPU: what moving its bytes through the kernel's loopback and
 * computing the checksums storage asks for cost at minimum, with no HTTP stack or SDK at all. Run it with
 * {@code java bench/Floor.java [PANEL_MIB]} (JDK 25 source launcher; PANEL_MIB 6 is a real 2K panel, 0 the
 * emulator's 15 KB one); BENCHMARKS.md compares it with P1.
 *
 * <p>Per job, the service side moves the four photos four times (client → API, API → storage, storage → worker,
 * worker → Gemini) and the panel twice (Gemini → worker as base64, worker → storage), and storage asks for an MD5
 * and a CRC32C of every object written. Each figure is CPU time of the thread doing that side (ThreadMXBean),
 * the best of several rounds, so other tenants' load inflates it least.
 */
public final class Floor {
    private static final int MIB = 1 << 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int photosMiB = 4;
        int panelMiB = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        byte[] data = new byte[64 * MIB];
        new Random(1).nextBytes(data);
        double send = best(() -> loopback(data, true));
        double receive = best(() -> loopback(data, false));
        double md5 = best(() -> digest(data, "MD5"));
        double crc = best(() -> crc32c(data));
        byte[] panel = new byte[Math.max(1, panelMiB) * MIB];
        new Random(2).nextBytes(panel);
        String encoded = Base64.getEncoder().encodeToString(panel);
        double base64 = best(() -> decode(encoded)) / panel.length * MIB;
        // Service side of a job: photos received twice (API, worker) and sent twice (storage, Gemini); the panel
        // received once as base64 (4/3 of its size) and sent once; checksums of the photos and the panel.
        double sockets = photosMiB * 2 * (send + receive) + panelMiB * (receive * 4 / 3 + send);
        double checksums = (photosMiB + panelMiB) * (md5 + crc);
        double decode = panelMiB * base64;
        System.out.printf("per MiB: loopback send %.3f ms, receive %.3f ms, MD5 %.3f ms, CRC32C %.3f ms,"
                + " base64 decode %.3f ms%n", send, receive, md5, crc, base64);
        System.out.printf("floor of one job (4 x 1 MiB photos, %d MiB panel): sockets %.1f ms + checksums %.1f ms"
                + " + base64 %.1f ms = %.1f ms CPU%n", panelMiB, sockets, checksums, decode, sockets + checksums + decode);
        System.out.printf("without checksums (storage does not require them): %.1f ms CPU%n", sockets + decode);
    }

    interface Measure {
        double ms() throws Exception;
    }

    /** The lowest of seven rounds (after one warm-up), in ms per MiB. */
    private static double best(Measure measure) throws Exception {
        measure.ms();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            best = Math.min(best, measure.ms());
        }
        return best;
    }

    /** 64 MiB through a loopback TCP connection in 64 KiB writes; CPU ms per MiB of the sending or receiving side. */
    private static double loopback(byte[] data, boolean senderSide) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long[] cpu = new long[2];
            Thread sender = new Thread(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    long start = THREADS.getCurrentThreadCpuTime();
                    OutputStream out = socket.getOutputStream();
                    for (int offset = 0; offset < data.length; offset += 64 * 1024) {
                        out.write(data, offset, 64 * 1024);
                    }
                    out.flush();
                    cpu[0] = THREADS.getCurrentThreadCpuTime() - start;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            sender.start();
            try (Socket socket = server.accept()) {
                long start = THREADS.getCurrentThreadCpuTime();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                while (in.read(buffer) >= 0) {
                    // drain
                }
                cpu[1] = THREADS.getCurrentThreadCpuTime() - start;
            }
            sender.join();
            return (senderSide ? cpu[0] : cpu[1]) / 1e6 / (data.length / MIB);
        }
    }

    private static double digest(byte[] data, String algorithm) throws Exception {
        long start = THREADS.getCurrentThreadCpuTime();
        MessageDigest.getInstance(algorithm).digest(data);
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e6 / (data.length / MIB);
    }

    private static double crc32c(byte[] data) {
        long start = THREADS.getCurrentThreadCpuTime();
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e6 / (data.length / MIB);
    }

    private static double decode(String encoded) {
        long start = THREADS.getCurrentThreadCpuTime();
        Base64.getDecoder().decode(encoded);
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
    }
}
