package access;

import config.PanelOneProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jobs.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scripting.support.ResourceScriptSource;
import org.springframework.stereotype.Component;

/**
 * The two job limits (docs/API.md, "Limits"): jobs per client in any rolling hour, and jobs per UTC day for the
 * whole deployment. Both live in Redis and are checked and counted by one Lua script, so concurrent requests on any
 * number of API instances can never start more jobs than allowed.
 */
@Component
public class JobLimits {
    private static final Logger log = LoggerFactory.getLogger(JobLimits.class);
    private static final Duration WINDOW = Duration.ofHours(1);

    /** A job counted against both limits; {@link #release} gives it back if the job is not made after all. */
    public record Admission(String limitKey, String day, String jobId) {}

    private final StringRedisTemplate redis;
    private final PanelOneProperties.Access settings;
    private final Clock clock;
    private final RedisScript<List> admitScript = script("admit-job.lua");
    private final RedisScript<List> releaseScript = script("release-job.lua");
    private final Counter admitted;
    private final Counter refusedClient;
    private final Counter refusedDaily;
    private final AtomicLong usedToday = new AtomicLong();

    public JobLimits(StringRedisTemplate redis, PanelOneProperties properties, Clock clock, MeterRegistry registry) {
        this.redis = redis;
        this.settings = properties.access();
        this.clock = clock;
        this.admitted = Counter.builder("panel.limits.admitted")
                .description("Jobs counted against the client and daily limits").register(registry);
        this.refusedClient = refused(registry, "client");
        this.refusedDaily = refused(registry, "daily");
        Gauge.builder("panel.limits.daily.used", usedToday, AtomicLong::get)
                .description("Jobs accepted today (UTC) by the deployment, as last seen by this instance")
                .register(registry);
        Gauge.builder("panel.limits.daily.budget", settings, PanelOneProperties.Access::dailyJobBudget)
                .description("PANEL_DAILY_JOB_BUDGET").register(registry);
        Gauge.builder("panel.limits.client.per.hour", settings, PanelOneProperties.Access::clientJobsPerHour)
                .description("PANEL_CLIENT_JOBS_PER_HOUR").register(registry);
    }

    /** Refuses with a 429 if the client or the deployment is at its limit; counts nothing. */
    public void check(Client client) {
        run(client, "-", "peek");
    }

    /** Counts job {@code jobId} against both limits, or refuses it with a 429. */
    public Admission admit(Client client, String jobId) {
        String day = run(client, jobId, "take");
        admitted.increment();
        return new Admission(client.limitKey(), day, jobId);
    }

    /** Gives back a counted job that was not made (refused later, or a repeat that lost a race). */
    public void release(Admission admission) {
        redis.execute(releaseScript,
                List.of(RedisKeys.clientWindow(admission.limitKey()), RedisKeys.dayCount(admission.day())),
                admission.jobId());
    }

    private String run(Client client, String jobId, String mode) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long untilMidnight = Duration.between(now, today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
                .toSeconds() + 1;
        List<?> answer = redis.execute(admitScript,
                List.of(RedisKeys.clientWindow(client.limitKey()), RedisKeys.dayCount(today.toString())),
                Long.toString(now.toEpochMilli()),
                Long.toString(WINDOW.toMillis()),
                Integer.toString(settings.clientJobsPerHour()),
                Integer.toString(settings.dailyJobBudget()),
                jobId,
                Long.toString(untilMidnight),
                mode);
        if ("refused".equals(answer.get(0))) {
            long retryAfter = Long.parseLong(answer.get(2).toString());
            throw refusal(client, answer.get(1).toString(), retryAfter);
        }
        long counted = Long.parseLong(answer.get(1).toString());
        if (counted > 0) {
            usedToday.set(counted);
            if (counted == settings.dailyJobBudget()) {
                // Exactly one request, on one instance, makes the count reach the budget: one line per day.
                log.warn("Daily job budget reached: {} jobs accepted today (UTC); new jobs are refused until 00:00 UTC "
                        + "(PANEL_DAILY_JOB_BUDGET)", counted);
            }
        }
        return today.toString();
    }

    private AccessRefusedException refusal(Client client, String which, long retryAfter) {
        if ("daily".equals(which)) {
            refusedDaily.increment();
            return AccessRefusedException.tooMany("This Panel One has made as many panels as it may today; try again "
                    + "after 00:00 UTC.", retryAfter);
        }
        refusedClient.increment();
        log.info("Refused a job: {} is at its limit of {} jobs per hour", client, settings.clientJobsPerHour());
        return AccessRefusedException.tooMany("You have started " + settings.clientJobsPerHour()
                + " jobs in the last hour, the most allowed; try again in " + retryAfter + " s.", retryAfter);
    }

    private static Counter refused(MeterRegistry registry, String limit) {
        return Counter.builder("panel.limits.refused").description("Jobs refused with 429, by the limit reached")
                .tag("limit", limit).register(registry);
    }

    @SuppressWarnings("rawtypes")
    private static RedisScript<List> script(String name) {
        DefaultRedisScript<List> script = new DefaultRedisScript<>();
        script.setScriptSource(new ResourceScriptSource(new ClassPathResource("redis/" + name)));
        script.setResultType(List.class);
        return script;
    }
}
