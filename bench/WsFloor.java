import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The physical floor of B6 on this CPU: one status event fanned out as 1,000 loopback WebSocket text frames, with no
 * WebSocket stack at all. One sender thread writes one pre-encoded server frame (unmasked, the payload written once,
 * never per socket) to 1,000 connected sockets in turn; one receiver thread reads all 1,000 with a plain NIO
 * selector, as the JDK HttpClient the bench uses does, and counts a frame when its last byte is in. Run it with
 * {@code java bench/WsFloor.java [PAYLOAD_BYTES [SOCKETS]]} (JDK 25 source launcher; B6's frame is about 400 bytes).
 *
 * <p>Per event it prints nothing; at the end, for each of three rounds of 30 events (after 20 warm-up events): the
 * p50 and p99 of "frame's last byte read - just before the first write" over all frames of the round, the time to the
 * last write, and the CPU of the sender and receiver threads per event (ThreadMXBean). Wall figures on shared cores
 * carry the other tenants' load; CPU figures less so.
 */
public final class WsFloor {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int payload = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int sockets = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        byte[] frame = frame(payload);
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel[] clients = new SocketChannel[sockets];
        SocketChannel[] served = new SocketChannel[sockets];
        Selector selector = Selector.open();
        for (int i = 0; i < sockets; i++) {
            clients[i] = SocketChannel.open(server.getLocalAddress());
            clients[i].setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            served[i] = server.accept();
            served[i].setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            clients[i].configureBlocking(false);
            clients[i].register(selector, SelectionKey.OP_READ, i);
        }
        Receiver receiver = new Receiver(selector, sockets, frame.length);
        Thread receiving = new Thread(receiver, "receiver");
        receiving.setDaemon(true);
        receiving.start();
        ByteBuffer encoded = ByteBuffer.wrap(frame).asReadOnlyBuffer();
        for (int i = 0; i < 20; i++) {
            event(receiver, served, encoded);
        }
        System.out.printf("%d sockets, text frame of %d bytes (payload %d), one sender, one NIO receiver%n",
                sockets, frame.length, payload);
        for (int round = 1; round <= 3; round++) {
            List<Double> latencies = new ArrayList<>();
            double lastWrite = 0;
            long sendCpu0 = THREADS.getCurrentThreadCpuTime();
            long receiveCpu0 = THREADS.getThreadCpuTime(receiving.threadId());
            int events = 30;
            for (int i = 0; i < events; i++) {
                double[] result = event(receiver, served, encoded);
                lastWrite += result[0];
                for (int s = 1; s < result.length; s++) {
                    latencies.add(result[s]);
                }
                Thread.sleep(50);
            }
            double sendCpu = (THREADS.getCurrentThreadCpuTime() - sendCpu0) / 1e6 / events;
            double receiveCpu = (THREADS.getThreadCpuTime(receiving.threadId()) - receiveCpu0) / 1e6 / events;
            System.out.printf("round %d: p50 %.2f ms, p99 %.2f ms, last write after %.2f ms (mean); CPU a event:"
                    + " sender %.2f ms, receiver %.2f ms%n", round, percentile(latencies, 50),
                    percentile(latencies, 99), lastWrite / events, sendCpu, receiveCpu);
        }
    }

    /** One event: the frame written to every socket; returns {last write ms, each socket's latency ms...}. */
    private static double[] event(Receiver receiver, SocketChannel[] served, ByteBuffer encoded) throws Exception {
        CountDownLatch done = receiver.expect();
        long start = System.nanoTime();
        receiver.start = start;
        for (SocketChannel channel : served) {
            ByteBuffer frame = encoded.duplicate();
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        }
        long lastWrite = System.nanoTime();
        done.await();
        double[] result = new double[served.length + 1];
        result[0] = (lastWrite - start) / 1e6;
        for (int i = 0; i < served.length; i++) {
            result[i + 1] = (receiver.arrivals[i] - start) / 1e6;
        }
        return result;
    }

    private static final class Receiver implements Runnable {
        private final Selector selector;
        private final int frameBytes;
        final long[] arrivals;
        private final int[] received;
        volatile long start;
        private volatile CountDownLatch pending;

        Receiver(Selector selector, int sockets, int frameBytes) {
            this.selector = selector;
            this.frameBytes = frameBytes;
            this.arrivals = new long[sockets];
            this.received = new int[sockets];
        }

        CountDownLatch expect() {
            CountDownLatch latch = new CountDownLatch(arrivals.length);
            pending = latch;
            return latch;
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            try {
                while (true) {
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        int index = (Integer) key.attachment();
                        buffer.clear();
                        int read = ((SocketChannel) key.channel()).read(buffer);
                        // Frames are small and one event's frame arrives before the next is written: count bytes.
                        received[index] += read;
                        if (received[index] >= frameBytes) {
                            received[index] -= frameBytes;
                            arrivals[index] = System.nanoTime();
                            pending.countDown();
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A server-to-client text frame (FIN, opcode 1, unmasked) with an ASCII JSON-like payload. */
    private static byte[] frame(int payload) {
        byte[] text = new byte[payload];
        Arrays.fill(text, (byte) 'a');
        text[0] = '{';
        text[payload - 1] = '}';
        int header = payload < 126 ? 2 : payload < 65536 ? 4 : 10;
        byte[] frame = new byte[header + payload];
        frame[0] = (byte) 0x81;
        if (payload < 126) {
            frame[1] = (byte) payload;
        } else if (payload < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (payload >>> 8);
            frame[3] = (byte) payload;
        } else {
            throw new IllegalArgumentException("payload too large for this floor");
        }
        System.arraycopy(text, 0, frame, header, payload);
        return frame;
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
