package worker;

import clients.GeminiModels;
import clients.ModelCheck;
import clients.ModelRole;
import config.PanelOneProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The worker's gate on its Gemini models: nothing is taken from the queue until Gemini has confirmed
 * ({@code models.get}) that the story and the image model exist and support {@code generateContent}.
 *
 * <ul>
 *   <li>Start-up: checked at once; while Gemini cannot be reached the check is retried with capped exponential
 *       backoff (1 s, 2 s, … up to {@code panel.gemini.model-check-max-backoff}) and the worker stays not ready.</li>
 *   <li>A model Google does not serve (404, or no generateContent): not ready, one ERROR line naming the model,
 *       Google's answer and the variable to change; checked again every {@code model-check-interval}.</li>
 *   <li>Running: checked again every {@code model-check-interval} (10 min by default). A model that disappears
 *       flips readiness down, logs the same ERROR line, sets {@code panel.gemini.model.available} to 0 and counts
 *       {@code panel.gemini.model.unavailable}; the queue consumer stops taking jobs until it is back. A check that
 *       gets no answer changes nothing (an outage is not a shutdown).</li>
 * </ul>
 *
 * <p>Readiness is this bean's health ({@code geminiModels}, in the readiness group); the consumer calls
 * {@link #awaitReady()} before each read from the queue.
 */
@Component("geminiModelsHealthIndicator")
@Profile("worker")
public class ModelAvailability implements HealthIndicator, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ModelAvailability.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final ModelCheck check;
    private final GeminiModels models;
    private final Duration interval;
    private final Duration maxBackoff;
    private final Map<ModelRole, Counter> disappearances = new EnumMap<>(ModelRole.class);
    private final Map<ModelRole, ModelCheck.Result> latest = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile boolean ready;
    private volatile String problem = "models not checked yet";
    private volatile Thread checker;

    public ModelAvailability(ModelCheck check, PanelOneProperties properties, MeterRegistry registry) {
        PanelOneProperties.Gemini gemini = properties.gemini();
        this.check = check;
        this.models = new GeminiModels(gemini.storyModel(), gemini.imageModel());
        this.interval = gemini.modelCheckInterval();
        this.maxBackoff = gemini.modelCheckMaxBackoff();
        for (ModelRole role : ModelRole.values()) {
            List<io.micrometer.core.instrument.Tag> tags = List.of(
                    io.micrometer.core.instrument.Tag.of("model", models.of(role)),
                    io.micrometer.core.instrument.Tag.of("variable", role.variable()));
            Gauge.builder("panel.gemini.model.available", this, self -> self.available(role) ? 1 : 0)
                    .description("1 while Gemini serves this configured model with generateContent, else 0")
                    .tags(tags).register(registry);
            disappearances.put(role, Counter.builder("panel.gemini.model.unavailable")
                    .description("Checks that found a configured model not served (shut down or without"
                            + " generateContent)")
                    .tags(tags).register(registry));
        }
    }

    /** True once both models are confirmed and as long as no later check found one gone. */
    public boolean isReady() {
        return ready;
    }

    /** The models this worker is configured with, as every new job records them. */
    public GeminiModels models() {
        return models;
    }

    /** Blocks until the models are confirmed; returns at once when they are. */
    public void awaitReady() throws InterruptedException {
        synchronized (lock) {
            while (!ready) {
                lock.wait();
            }
        }
    }

    /** Runs one check now and applies it; the periodic loop calls this too. Returns false when Gemini did not answer. */
    public boolean checkNow() {
        List<ModelCheck.Result> results = check.check(models);
        List<ModelCheck.Result> unanswered = results.stream()
                .filter(r -> r.status() == ModelCheck.Status.UNREACHABLE).toList();
        if (!unanswered.isEmpty()) {
            if (!ready) {
                problem = "Gemini could not be reached to check the models: " + describe(unanswered);
            }
            log.warn("Could not check the Gemini models ({}); {}", describe(unanswered),
                    ready ? "keeping the last answer" : "not ready, retrying");
            return false;
        }
        List<ModelCheck.Result> failing = results.stream().filter(r -> !r.served()).toList();
        boolean wasReady = ready;
        synchronized (lock) {
            boolean changed = false;
            for (ModelCheck.Result result : results) {
                ModelCheck.Result before = latest.put(result.role(), result);
                changed |= before == null || before.status() != result.status();
                if (result.modelUnusable() && (before == null || !before.modelUnusable())) {
                    disappearances.get(result.role()).increment();
                }
            }
            ready = failing.isEmpty();
            problem = ready ? null : describe(failing);
            if (ready) {
                lock.notifyAll();
            }
            if (!ready && (changed || wasReady)) {
                // One line for the whole finding, without the exception: Google's answer is in it already, and an
                // error body may quote the request's key.
                log.error("Worker not ready, no jobs taken: {}", problem);
            }
        }
        if (ready && !wasReady) {
            log.info("Gemini serves {} and {} with generateContent; taking jobs", models.story(), models.image());
        }
        return true;
    }

    @Override
    public Health health() {
        Health.Builder health = ready ? Health.up() : Health.down();
        health.withDetail(ModelRole.STORY.variable(), models.story())
                .withDetail(ModelRole.IMAGE.variable(), models.image());
        String now = problem;
        return now == null ? health.build() : health.withDetail("problem", now).build();
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::run, "gemini-model-check");
        thread.setDaemon(true);
        checker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread thread = checker;
        checker = null;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return checker != null;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (checker == Thread.currentThread()) {
            Duration wait;
            if (checkNow()) {
                backoff = FIRST_BACKOFF;
                wait = interval;
            } else if (ready) {
                wait = interval;
            } else {
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean available(ModelRole role) {
        ModelCheck.Result result = latest.get(role);
        return result != null && result.served();
    }

    private static String describe(List<ModelCheck.Result> results) {
        return results.stream().map(ModelCheck.Result::describe).collect(Collectors.joining("; "));
    }
}
