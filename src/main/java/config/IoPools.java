package config;

import java.util.concurrent.ExecutorService;

/**
 * The thread pools for blocking I/O: parallel photo uploads, parallel downloads, the jobs in flight, and the
 * WebSocket frames written to many subscribers at once.
 */
public final class IoPools implements AutoCloseable {
    private final ExecutorService inputUploads = Threads.pool("input-upload", 32);
    private final ExecutorService storageIo = Threads.pool("storage-io", 64);
    // Without virtual threads: a write is mostly CPU while the socket's send buffer has room, so a few threads
    // keep the cores busy; a client that stops reading holds one until Tomcat's blocking-send timeout (20 s).
    private final ExecutorService socketSends = Threads.pool("ws-send", 8);
    private final ExecutorService jobs;

    IoPools(int maxConcurrentJobs) {
        // Jobs in flight are bounded by the queue consumer's semaphore; this pool only has to keep up with it.
        this.jobs = Threads.pool("job", maxConcurrentJobs);
    }

    public ExecutorService inputUploads() {
        return inputUploads;
    }

    public ExecutorService storageIo() {
        return storageIo;
    }

    public ExecutorService jobs() {
        return jobs;
    }

    public ExecutorService socketSends() {
        return socketSends;
    }

    @Override
    public void close() {
        inputUploads.shutdown();
        storageIo.shutdown();
        jobs.shutdown();
        socketSends.shutdown();
    }
}
