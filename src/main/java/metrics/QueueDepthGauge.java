package metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jobs.JobQueue;
import org.springframework.stereotype.Component;

/** Jobs waiting or running (entries in the queue stream), sampled when Prometheus scrapes. */
@Component
public class QueueDepthGauge {
    public QueueDepthGauge(MeterRegistry registry, JobQueue queue) {
        Gauge.builder("panel.queue.depth", queue, QueueDepthGauge::depthOrNaN)
                .description("Jobs in the queue stream, waiting or in progress")
                .register(registry);
    }

    private static double depthOrNaN(JobQueue queue) {
        try {
            return queue.depth();
        } catch (RuntimeException e) {
            // Redis unreachable: no figure rather than a wrong one.
            return Double.NaN;
        }
    }
}
