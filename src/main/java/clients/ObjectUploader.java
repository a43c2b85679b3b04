package clients;

import com.google.api.gax.retrying.ResultRetryAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stores a file as one object: a photo-sized file in a single request (JSON metadata and bytes in one multipart
 * upload), a larger one in a resumable session.
 *
 * <p>Why not {@code createFrom(info, Path)} for everything: it opens a resumable session first (a POST), then PUTs
 * the bytes, two HTTP exchanges an object; a single-request upload is one. The SDK's single-request upload from a
 * stream ({@code create(info, InputStream)}) does not retry (it cannot rewind a stream), so this class retries it
 * itself from the file, with the client's own retry settings and the same rule for what is transient (the uniform
 * strategy {@link StorageFactory} sets: 408, 429, 5xx and I/O errors). Its uploads are not gzipped: the SDK gzips a
 * single-request upload unless told not to, which costs CPU for nothing on already-compressed photos. No checksum
 * is computed here: the SDK computes none for a stream (nor for {@code createFrom(Path)}), so each path costs the
 * same, none.
 */
public final class ObjectUploader {
    /** Up to this size a file goes in one request; a failed attempt costs at most this much sent again. */
    public static final long SINGLE_REQUEST_MAX_BYTES = 8L * 1024 * 1024;

    private static final Storage.BlobWriteOption[] NO_GZIP = {Storage.BlobWriteOption.disableGzipContent()};

    private final Storage storage;
    private final RetrySettings retry;
    private final ResultRetryAlgorithm<?> transientErrors;

    public ObjectUploader(Storage storage) {
        this.storage = storage;
        this.retry = storage.getOptions().getRetrySettings();
        this.transientErrors = StorageFactory.RETRY_STRATEGY.getIdempotentHandler();
    }

    /** Stores {@code file} under {@code info}; the name is fixed and the bytes the same, so a repeat is harmless. */
    public void upload(BlobInfo info, Path file) throws IOException {
        if (Files.size(file) > SINGLE_REQUEST_MAX_BYTES) {
            storage.createFrom(info, file, NO_GZIP);
            return;
        }
        long deadline = System.nanoTime() + retry.getTotalTimeoutDuration().toNanos();
        Duration delay = retry.getInitialRetryDelayDuration();
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = Files.newInputStream(file)) {
                singleRequest(info, in);
                return;
            } catch (StorageException e) {
                if (attempt >= retry.getMaxAttempts() || !isTransient(e)) {
                    throw e;
                }
                long pause = ThreadLocalRandom.current().nextLong(delay.toMillis() + 1);
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                sleep(pause, e);
                delay = min(Duration.ofMillis((long) (delay.toMillis() * retry.getRetryDelayMultiplier())),
                        retry.getMaxRetryDelayDuration());
            }
        }
    }

    @SuppressWarnings("deprecation") // the only single-request upload that streams; retried above, hence deprecated
    private void singleRequest(BlobInfo info, InputStream in) {
        storage.create(info, in, NO_GZIP);
    }

    private boolean isTransient(StorageException e) {
        return transientErrors.shouldRetry(e, null);
    }

    private static void sleep(long millis, StorageException cause) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("Interrupted between upload attempts");
            interrupted.addSuppressed(cause);
            throw interrupted;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
