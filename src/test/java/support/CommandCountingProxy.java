package support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP proxy in front of Redis that counts the commands one process sends, by name, as they cross the wire: what
 * a client costs in round trips. (INFO commandstats cannot tell: it also counts the commands a script runs.)
 */
public final class CommandCountingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int redisPort;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public CommandCountingProxy(int redisPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.redisPort = redisPort;
        Thread acceptor = new Thread(this::accept, "counting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** Commands sent so far, by lower-case name. */
    public Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((name, count) -> snapshot.put(name, count.sum()));
        return snapshot;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                start(() -> countCommands(client, redis));
                start(() -> copy(redis, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Client to Redis: each command is a RESP array of bulk strings; its first element names it. */
    private void countCommands(Socket client, Socket redis) {
        try (InputStream in = new BufferedInputStream(client.getInputStream());
                OutputStream out = new BufferedOutputStream(redis.getOutputStream())) {
            while (true) {
                String header = line(in, out);
                if (header == null) {
                    return;
                }
                if (!header.startsWith("*")) {
                    count(header.split(" ", 2)[0]);
                } else {
                    int elements = Integer.parseInt(header.substring(1));
                    for (int i = 0; i < elements; i++) {
                        String bulk = line(in, out);
                        byte[] value = in.readNBytes(Integer.parseInt(bulk.substring(1)) + 2);
                        out.write(value);
                        if (i == 0) {
                            count(new String(value, 0, value.length - 2, StandardCharsets.UTF_8));
                        }
                    }
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Connection closed.
        } finally {
            closeQuietly(client, redis);
        }
    }

    private void count(String name) {
        counts.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new LongAdder()).increment();
    }

    /** One CRLF-terminated line, copied through; null at the end of the stream. */
    private static String line(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            out.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    private static void copy(Socket redis, Socket client) {
        try {
            redis.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException e) {
            // Connection closed.
        } finally {
            closeQuietly(client, redis);
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "counting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
