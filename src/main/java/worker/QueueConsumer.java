package worker;

import config.IoPools;
import config.PanelOneProperties;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jobs.JobDelivery;
import jobs.JobHeaders;
import jobs.JobQueue;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import routes.ErrorRoutes;
import routes.WorkerRoutes;

/**
 * Feeds the worker route from the Redis Stream: at most {@code max-concurrent-jobs} jobs at once, a heartbeat on
 * every job in hand so no other worker reclaims it, and reclaiming of jobs whose worker went silent. A delivery is
 * acknowledged only after its job has ended, so a crash anywhere before that means the job runs again.
 */
@Component
@Profile("worker")
public class QueueConsumer {
    private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);
    private static final Duration READ_BLOCK = Duration.ofSeconds(2);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final JobQueue queue;
    private final ModelAvailability models;
    private final ProducerTemplate camel;
    private final PanelOneProperties.Worker settings;
    private final ExecutorService jobPool;
    private final String consumer;
    private final Semaphore slots;
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "queue-heartbeat"));
    private volatile boolean running;
    private Thread poller;

    public QueueConsumer(JobQueue queue, ModelAvailability models, ProducerTemplate camel,
            PanelOneProperties properties, IoPools pools) {
        this.queue = queue;
        this.models = models;
        this.camel = camel;
        this.settings = properties.worker();
        this.jobPool = pools.jobs();
        this.slots = new Semaphore(settings.maxConcurrentJobs());
        this.consumer = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Only once the application is ready: Camel's routes start after the context refresh. */
    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        running = true;
        long beat = settings.heartbeat().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        poller = new Thread(this::poll, "queue-consumer");
        poller.start();
        log.info("Worker {} consuming {} jobs at a time", consumer, settings.maxConcurrentJobs());
    }

    /** Closing stops taking jobs first; jobs in hand that do not finish are reclaimed by another worker. */
    @EventListener(ContextClosedEvent.class)
    public void stop() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        timers.shutdownNow();
    }

    private void poll() {
        boolean groupReady = false;
        Instant nextReclaim = Instant.now();
        while (running) {
            try {
                // No job is taken before Gemini confirmed both models, nor while one is found gone.
                models.awaitReady();
                if (!groupReady) {
                    queue.ensureGroup();
                    groupReady = true;
                }
                slots.acquire();
                slots.release();
                if (!Instant.now().isBefore(nextReclaim)) {
                    reclaim();
                    nextReclaim = Instant.now().plus(settings.reclaimAfter().dividedBy(4));
                }
                int free = slots.availablePermits();
                if (free == 0) {
                    continue;
                }
                for (JobDelivery delivery : queue.read(consumer, free, READ_BLOCK)) {
                    dispatch(delivery, WorkerRoutes.PROCESS_JOB);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // Redis restarted without its data loses the group too; recreate it on the next turn.
                groupReady = groupReady && !String.valueOf(e.getMessage()).contains("NOGROUP");
                log.warn("Queue unavailable ({}); retrying in {} s", e.getMessage(), RETRY_PAUSE.toSeconds());
                pause();
            }
        }
    }

    private void reclaim() throws InterruptedException {
        List<JobDelivery> claimed = queue.reclaim(consumer, settings.reclaimAfter(), settings.maxConcurrentJobs());
        for (JobDelivery delivery : claimed) {
            boolean exhausted = delivery.deliveryCount() > settings.maxDeliveries();
            log.warn("Reclaimed job {} from a silent worker (delivery {})", delivery.jobId(), delivery.deliveryCount());
            dispatch(delivery, exhausted ? ErrorRoutes.DEAD_LETTER : WorkerRoutes.PROCESS_JOB);
        }
    }

    private void dispatch(JobDelivery delivery, String endpoint) throws InterruptedException {
        slots.acquire();
        inHand.add(delivery.messageId());
        try {
            jobPool.execute(() -> run(delivery, endpoint));
        } catch (RuntimeException e) {
            inHand.remove(delivery.messageId());
            slots.release();
            throw e;
        }
    }

    private void run(JobDelivery delivery, String endpoint) {
        MDC.put("job_id", delivery.jobId());
        try {
            Exchange result = camel.send(endpoint, exchange -> exchange.getMessage().setBody(delivery));
            JobContext job = result.getProperty(JobHeaders.JOB, JobContext.class);
            if (result.getException() != null) {
                // Not acknowledged: the job stays pending and is reclaimed once its heartbeat stops.
                log.error("Job could not be brought to an end state; it will be retried", result.getException());
            } else if (job == null || job.acknowledge()) {
                queue.acknowledge(delivery.messageId());
            }
        } catch (RuntimeException e) {
            log.error("Could not acknowledge job; it may run again", e);
        } finally {
            inHand.remove(delivery.messageId());
            slots.release();
            MDC.remove("job_id");
        }
    }

    private void heartbeat() {
        try {
            queue.heartbeat(consumer, List.copyOf(inHand));
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed: {}", e.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
