package ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * An upload stream that gives up on a client sending too slowly: once {@code grace} has passed, the bytes read so
 * far must average at least {@code minBytesPerSecond}, else the next read fails with {@link TooSlowException}.
 *
 * <p>It complements the socket's idle timeout (Tomcat's connection timeout, set to the same {@code grace}): that one
 * cuts a client silent for the whole timeout, this one a client sending a byte now and then, just often enough to
 * never be silent that long, which would otherwise hold a request slot and a temp folder until the request timeout.
 */
public final class MinimumRateInputStream extends FilterInputStream {
    private final long graceNanos;
    private final long minBytesPerSecond;
    private final long start = System.nanoTime();
    private long bytes;

    public MinimumRateInputStream(InputStream in, Duration grace, long minBytesPerSecond) {
        super(in);
        this.graceNanos = grace.toNanos();
        this.minBytesPerSecond = minBytesPerSecond;
    }

    /** The client sent more slowly than the minimum rate. */
    public static final class TooSlowException extends IOException {
        TooSlowException(String message) {
            super(message);
        }
    }

    @Override
    public int read() throws IOException {
        check();
        int b = super.read();
        if (b >= 0) {
            bytes++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        check();
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            bytes += n;
        }
        return n;
    }

    private void check() throws TooSlowException {
        long elapsed = System.nanoTime() - start;
        if (elapsed > graceNanos && bytes < minBytesPerSecond * (elapsed / 1_000_000_000.0)) {
            throw new TooSlowException(bytes + " bytes in " + elapsed / 1_000_000 + " ms");
        }
    }
}
