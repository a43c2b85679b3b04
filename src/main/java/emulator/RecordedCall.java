package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One generateContent request as the emulator received it.
 *
 * @param apiVersion the path's version segment, e.g. {@code v1beta}
 * @param model the model id from the path, e.g. {@code gemini-3.1-pro-preview}
 * @param apiKey the {@code x-goog-api-key} header (or {@code key} query parameter), null when absent
 * @param request the parsed request body
 * @param arrivedAt when the request reached the emulator, before any latency or fault
 */
public record RecordedCall(String apiVersion, String model, String apiKey, JsonNode request, Instant arrivedAt) {
}
