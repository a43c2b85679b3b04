package config;

import java.util.concurrent.ExecutorService;

/** The thread pools for blocking I/O: parallel photo uploads, parallel downloads, and the jobs in flight. */
public final class IoPools implements AutoCloseable {
    private final ExecutorService inputUploads = Threads.pool("input-upload", 32);
    private final ExecutorService storageIo = Threads.pool("storage-io", 64);
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

    @Override
    public void close() {
        inputUploads.shutdown();
        storageIo.shutdown();
        jobs.shutdown();
    }
}
