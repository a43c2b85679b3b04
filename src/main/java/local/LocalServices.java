package local;

import app.DotEnv;
import emulator.GcsEmulator;
import emulator.GeminiEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The {@code local} command's stand-ins, started only for what the environment does not provide: an embedded
 * Redis without {@code REDIS_URL}, a folder-backed storage emulator without bucket credentials, and the built-in
 * Gemini stand-in without {@code GEMINI_API_KEY} (offline mode, announced loudly).
 */
public final class LocalServices {
    private static final Logger log = LoggerFactory.getLogger(LocalServices.class);
    static final Path DATA_DIR = Path.of(".panel-one");

    private LocalServices() {}

    public static void startMissing() {
        if (blank(DotEnv.get("REDIS_URL"))) {
            int port = freePort();
            RedisServer redis = startRedis(port);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(redis), "embedded-redis-stop"));
            System.setProperty("REDIS_URL", "redis://127.0.0.1:" + port);
            log.info("Started embedded Redis on port {}", port);
        }
        if (blank(DotEnv.get("STORAGE_EMULATOR_HOST")) && blank(DotEnv.get("GOOGLE_APPLICATION_CREDENTIALS"))) {
            Path objects = DATA_DIR.resolve("objects").toAbsolutePath();
            try {
                Files.createDirectories(objects);
                GcsEmulator storage = GcsEmulator.start(objects, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(storage::close, "storage-emulator-stop"));
                System.setProperty("STORAGE_EMULATOR_HOST", storage.baseUrl());
                log.info("Keeping objects in {} (served at {})", objects, storage.baseUrl());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the local storage folder", e);
            }
        }
        if (blank(DotEnv.get("GEMINI_API_KEY"))) {
            GeminiEmulator gemini = GeminiEmulator.start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(gemini::close, "gemini-emulator-stop"));
            System.setProperty("GEMINI_API_KEY", "offline");
            System.setProperty("GEMINI_BASE_URL", gemini.baseUrl());
            System.setProperty(OfflineModeBanner.PROPERTY, "true");
        }
    }

    private static RedisServer startRedis(int port) {
        try {
            RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Redis", e);
        }
    }

    private static void stopQuietly(RedisServer redis) {
        try {
            redis.stop();
        } catch (IOException e) {
            // The process is exiting anyway.
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
