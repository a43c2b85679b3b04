package support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisServer;

/** A real redis-server process for tests (the binary embedded-redis ships), one per test JVM, stoppable at will. */
public final class TestRedis {
    private static TestRedis instance;

    private final int port;
    private RedisServer server;
    private final LettuceConnectionFactory factory;
    private final StringRedisTemplate template;

    private TestRedis(int port) {
        this.port = port;
        start();
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        template = new StringRedisTemplate(factory);
    }

    public static synchronized TestRedis get() {
        if (instance == null) {
            instance = new TestRedis(freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        }
        return instance;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public StringRedisTemplate redis() {
        return template;
    }

    public Set<String> keys() {
        return template.keys("*");
    }

    public void flush() {
        template.execute((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
            c.serverCommands().flushAll();
            return null;
        });
    }

    /** Starts the server; with appendonly on, acknowledged writes survive a restart. */
    public synchronized void start() {
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("appendonly yes")
                    .setting("appendfsync always")
                    .setting("dir " + System.getProperty("java.io.tmpdir"))
                    .setting("appendfilename panel-test-" + port + ".aof")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
