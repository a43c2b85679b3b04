package processors;

import clients.GeminiModels;
import config.PanelOneProperties;
import java.time.Clock;
import java.time.Duration;
import jobs.JobDelivery;
import jobs.JobHeaders;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import redisstream.RedisStreamConstants;
import redisstream.StreamDelivery;
import jobs.JobContext;

/**
 * Takes ownership of a delivered job, pins the models it runs with and starts its 590 s clock; a job that already
 * ended is only tidied up.
 */
@Component
@Profile("worker")
public class StartJobProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(StartJobProcessor.class);

    private final JobStore jobs;
    private final Duration jobTimeout;
    private final GeminiModels configured;
    private final Clock clock;

    public StartJobProcessor(JobStore jobs, PanelOneProperties properties, Clock clock) {
        this.jobs = jobs;
        this.jobTimeout = properties.worker().jobTimeout();
        this.configured = new GeminiModels(properties.gemini().storyModel(), properties.gemini().imageModel());
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        JobDelivery delivery = exchange.getMessage().getBody(JobDelivery.class);
        JobContext job = new JobContext(delivery, clock.instant(), jobTimeout);
        exchange.setProperty(JobHeaders.JOB, job);
        StreamDelivery handle = exchange.getProperty(RedisStreamConstants.DELIVERY, StreamDelivery.class);
        if (handle != null) {
            job.superseded(handle::superseded);
        }
        JobStore.Claimed claimed = jobs.claim(delivery, configured.story(), configured.image());
        switch (claimed.claim()) {
            case OWNED -> {
                job.owned(true);
                job.models(new GeminiModels(claimed.models().get(0), claimed.models().get(1)));
                log.info("Job started (delivery {}) with story model {} and image model {}",
                        delivery.deliveryNumber(), job.models().story(), job.models().image());
            }
            case TERMINAL -> {
                // Delivered again after it ended (its worker died before acknowledging, maybe before publishing the
                // end): publish the end state again and finish the tidy-up.
                job.foundEnded();
                log.info("Job already ended; publishing its end state again and acknowledging the repeated delivery");
            }
            case SUPERSEDED -> {
                // A newer delivery claimed the job first: it runs it; this one must not touch it or its inputs.
                job.takenOver();
                log.warn("Job already claimed by a newer delivery than {}; leaving it to that one",
                        delivery.deliveryNumber());
            }
            case MISSING -> {
                job.mayCleanUp(true);
                log.warn("Job record not found (expired or deleted); dropping the delivery");
            }
        }
    }
}
