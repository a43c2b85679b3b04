package config;

import java.util.concurrent.ExecutorService;

/**
 * The thread pools for blocking I/O: parallel photo uploads, parallel downloads, and the WebSocket frames written
 * to many subscribers at once. (Jobs in flight run on the {@code redis-stream} consumer's own threads.)
 */
public final class IoPools implements AutoCloseable {
    private final ExecutorService inputUploads = Threads.pool("input-upload", 32);
    private final ExecutorService storageIo = Threads.pool("storage-io", 64);
    // Without virtual threads: a write is mostly CPU while the socket's send buffer has room, so a few threads
    // keep the cores busy; a client that stops reading holds one until Tomcat's blocking-send timeout (20 s).
    private final ExecutorService socketSends = Threads.pool("ws-send", 8);

    IoPools() {
    }

    public ExecutorService inputUploads() {
        return inputUploads;
    }

    public ExecutorService storageIo() {
        return storageIo;
    }

    public ExecutorService socketSends() {
        return socketSends;
    }

    @Override
    public void close() {
        inputUploads.shutdown();
        storageIo.shutdown();
        socketSends.shutdown();
    }
}
