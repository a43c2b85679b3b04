package support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A TCP proxy in front of Redis that, once armed, holds back Redis's replies for a while as soon as a command naming
 * {@code trigger} goes through: the command runs, its reply comes late. That is a reply timeout after the fact,
 * which a client cannot tell from a command that never ran.
 */
public final class SlowReplyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int redisPort;
    private final byte[] trigger;
    private volatile Duration armed;
    private volatile long holdUntil;

    public SlowReplyProxy(int redisPort, String trigger) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.redisPort = redisPort;
        this.trigger = trigger.getBytes(StandardCharsets.UTF_8);
        Thread acceptor = new Thread(this::accept, "slow-reply-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** The next command naming the trigger gets its reply {@code hold} late; every reply behind it waits too. */
    public void arm(Duration hold) {
        armed = hold;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                pump(client.getInputStream(), redis.getOutputStream(), true);
                pump(redis.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean requests) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (requests && armed != null && contains(buffer, n, trigger)) {
                        holdUntil = System.currentTimeMillis() + armed.toMillis();
                        armed = null;
                    }
                    if (!requests) {
                        long wait = holdUntil - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // Connection closed.
            }
        }, "slow-reply-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean contains(byte[] buffer, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
