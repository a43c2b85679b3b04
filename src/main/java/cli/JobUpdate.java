package cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A job's state as the API reports it, from {@code GET /job/{id}} or a WebSocket frame. */
@JsonIgnoreProperties(ignoreUnknown = true)
record JobUpdate(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("status") String status,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("result") Result result) {

    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";

    /** The finished panel: its public URL and the story it illustrates. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Result(@JsonProperty("image_url") String imageUrl, @JsonProperty("story") String story) {
    }

    boolean isFinal() {
        return COMPLETED.equals(status) || FAILED.equals(status);
    }
}
