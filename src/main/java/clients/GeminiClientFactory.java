package clients;

import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;

/** Builds the one google-genai {@link Client} the service shares (it is thread-safe). */
public final class GeminiClientFactory {

    /** Long enough for a cold TLS handshake, short enough that a dead endpoint becomes a retry, not a hang. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private GeminiClientFactory() {
    }

    /**
     * A Gemini Developer API client with this key, talking to baseUrl when one is given (a proxy or the
     * emulator). Key and URL are set explicitly because the SDK reads other variables than ours
     * ({@code GOOGLE_API_KEY}, {@code GOOGLE_GEMINI_BASE_URL}).
     *
     * <p>The SDK's own retry is reduced to a single attempt: {@link GeminiGateway} retries instead, because
     * the SDK's retry ignores {@code Retry-After} and the job deadline. Its status-code list is emptied too,
     * since the SDK otherwise sleeps a backoff even after its last attempt on a retryable status.
     */
    public static Client create(String apiKey, String baseUrlOrNull) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("A Gemini API key is required (GEMINI_API_KEY)");
        }
        HttpOptions.Builder http = HttpOptions.builder()
                .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build());
        if (baseUrlOrNull != null && !baseUrlOrNull.isBlank()) {
            http.baseUrl(baseUrlOrNull);
        }
        // No read or write timeout: an image call may stay silent for minutes. Each call gets its own
        // overall timeout from the gateway instead.
        OkHttpClient okHttp = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .addInterceptor(new RetryAfterCapture())
                .addInterceptor(new InlineImageCapture())
                .build();
        return Client.builder()
                .apiKey(apiKey)
                .vertexAI(false)
                .httpOptions(http.build())
                .clientOptions(ClientOptions.builder().customHttpClient(okHttp).build())
                .build();
    }
}
