package access;

import java.util.Map;

/** A request refused because of who sent it or how much they did already: a status, a reason, and headers. */
public class AccessRefusedException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    public AccessRefusedException(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public static AccessRefusedException malformed(String detail) {
        return new AccessRefusedException(400, detail, Map.of());
    }

    /** 401 always names the scheme the API expects (RFC 9110 §11.6.1). */
    public static AccessRefusedException unauthorized(String detail) {
        return new AccessRefusedException(401, detail, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static AccessRefusedException tooMany(String detail, long retryAfterSeconds) {
        return new AccessRefusedException(429, detail, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    /** Response headers that belong to the refusal ({@code WWW-Authenticate}, {@code Retry-After}). */
    public Map<String, String> headers() {
        return headers;
    }
}
