package clients;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps the {@code Retry-After} header of the last response on this thread, because the SDK's
 * ApiException drops response headers. OkHttp runs interceptors of a synchronous call on the caller's
 * thread, so the gateway reads it right after the failed call returns.
 */
final class RetryAfterCapture implements Interceptor {

    private static final ThreadLocal<Duration> LAST = new ThreadLocal<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        LAST.remove();
        Response response = chain.proceed(chain.request());
        parse(response.header("Retry-After"), Instant.now()).ifPresent(LAST::set);
        return response;
    }

    /** The wait the last response on this thread asked for, cleared once read. */
    static Optional<Duration> take() {
        Duration last = LAST.get();
        LAST.remove();
        return Optional.ofNullable(last);
    }

    /** Forgets any value left over from an earlier call on this thread. */
    static void clear() {
        LAST.remove();
    }

    /** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
    static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
