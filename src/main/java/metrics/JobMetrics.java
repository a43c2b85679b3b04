package metrics;

import clients.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import jobs.JobStatus;
import org.springframework.stereotype.Component;

/** Prometheus metrics of the pipeline: jobs by outcome, durations, Gemini latency and tokens. */
@Component
public class JobMetrics {
    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void jobEnded(JobStatus status, Duration duration) {
        Counter.builder("panel.jobs.ended").description("Jobs that reached an end state")
                .tag("status", status.name()).register(registry).increment();
        Timer.builder("panel.job.duration").description("Time from start of work to the end state")
                .tag("status", status.name()).register(registry).record(duration);
    }

    public void stage(JobStatus stage, Duration duration) {
        Timer.builder("panel.stage.duration").description("Time spent in each worker stage")
                .tag("stage", stage.name()).register(registry).record(duration);
    }

    public void modelCall(String model, TokenUsage usage, Duration duration) {
        Timer.builder("panel.gemini.call").description("Gemini call latency, retries included")
                .tag("model", model).register(registry).record(duration);
        if (usage != null) {
            tokens(model, "prompt", usage.promptTokens());
            tokens(model, "candidates", usage.candidatesTokens());
            tokens(model, "thoughts", usage.thoughtsTokens());
            tokens(model, "total", usage.totalTokens());
        }
    }

    private void tokens(String model, String kind, long count) {
        Counter.builder("panel.gemini.tokens").description("Tokens reported in usageMetadata")
                .tag("model", model).tag("kind", kind).register(registry).increment(count);
    }
}
