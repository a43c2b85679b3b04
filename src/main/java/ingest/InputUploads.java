package ingest;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The uploads of one POST /generate's photos under {@code inputs/{job_id}/}, each started in the background as soon
 * as its part has been read and checked, so storage time is never charged to the client's minimum upload rate and
 * the next part is read meanwhile. The request either waits for all of them ({@link #awaitAll()}) or, when it is
 * refused, settles them ({@link #settle()}) before the job's inputs are deleted by prefix: nothing may finish
 * storing after that delete.
 */
public final class InputUploads {
    /** Stores one photo; may throw. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final String jobId;
    private final Map<Integer, Pending> pending = new ConcurrentSkipListMap<>();

    public InputUploads(String jobId) {
        this.jobId = jobId;
    }

    /** The job whose {@code inputs/{job_id}/} prefix these uploads write under. */
    public String jobId() {
        return jobId;
    }

    public boolean started(int number) {
        return pending.containsKey(number);
    }

    public boolean anyStarted() {
        return !pending.isEmpty();
    }

    /** Starts part {@code number}'s upload on {@code pool}, once. */
    public void start(int number, Executor pool, Task task) {
        Pending upload = new Pending();
        if (pending.putIfAbsent(number, upload) != null) {
            return;
        }
        Runnable work = () -> {
            // Settled before it ran: it never runs, so nothing of it can appear after the delete.
            if (!upload.claimed.compareAndSet(false, true)) {
                upload.done.complete(null);
                return;
            }
            try {
                task.run();
                upload.done.complete(null);
            } catch (Throwable e) {
                upload.done.completeExceptionally(e);
            }
        };
        try {
            pool.execute(work);
        } catch (RejectedExecutionException e) {
            // The pool is shutting down with the application: this upload fails, the request with it.
            upload.claimed.set(true);
            upload.done.completeExceptionally(e);
        }
    }

    /** Waits for every upload in part order; the first failure is thrown as it was. */
    public void awaitAll() throws Exception {
        for (Pending upload : pending.values()) {
            try {
                upload.done.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw e;
            }
        }
    }

    /**
     * For a refused request: uploads not yet begun never will, and those under way are waited for, whatever their
     * outcome, so the inputs can then be deleted knowing none is still being written.
     */
    public void settle() {
        for (Pending upload : pending.values()) {
            if (upload.claimed.compareAndSet(false, true)) {
                continue;
            }
            try {
                upload.done.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                // Failed or not: it is over, which is all a refusal needs to know.
            }
        }
    }

    private static final class Pending {
        final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();
    }
}
