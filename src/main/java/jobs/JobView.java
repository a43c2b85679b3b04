package jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The public JSON shape of a job: GET /job, GET /jobs and every WebSocket frame (docs/API.md). */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"job_id", "status", "error_message", "result", "created_at", "updated_at"})
public record JobView(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("status") JobStatus status,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("result") Result result,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    /** The finished panel. */
    @JsonPropertyOrder({"image_url", "story"})
    public record Result(@JsonProperty("image_url") String imageUrl, @JsonProperty("story") String story) {}
}
