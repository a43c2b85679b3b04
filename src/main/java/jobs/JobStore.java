package jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.PanelOneProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scripting.support.ResourceScriptSource;
import org.springframework.stereotype.Component;

/** Job records in Redis: creation together with the enqueue, fenced status changes, and reads. */
@Component
public class JobStore {
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final PanelOneProperties.Jobs settings;
    private final Clock clock;
    private final RedisScript<String> createScript = script("create-job.lua", String.class);
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> claimScript = script("claim-job.lua", List.class);
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> transitionScript = script("transition-job.lua", List.class);

    public JobStore(StringRedisTemplate redis, ObjectMapper json, PanelOneProperties properties, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.settings = properties.jobs();
        this.clock = clock;
    }

    /** What {@link #create} did: made a new job, or found the one an idempotency key already named. */
    public record Created(String jobId, boolean isNew) {}

    /** The outcomes of taking ownership of a delivery. */
    public enum Claim { OWNED, TERMINAL, MISSING, SUPERSEDED }

    /** A claim's outcome and, when {@link Claim#OWNED}, the models on record ({@code [story, image]}). */
    public record Claimed(Claim claim, List<String> models) {}

    /**
     * Creates a QUEUED job and enqueues it atomically; with an idempotency key this client used before, returns that
     * job instead. {@code owner} (a token hash, or null) files the job in that client's history.
     */
    /**
     * {@code owner}: the token hash whose history lists the job (null: none). {@code idempotencyScope}: the client
     * its Idempotency-Key belongs to (see {@link RedisKeys#idempotency}).
     */
    public Created create(String jobId, List<String> inputs, String idempotencyKey, String owner,
            String idempotencyScope) {
        Instant now = clock.instant();
        boolean idempotent = idempotencyKey != null;
        String answer = redis.execute(
                createScript,
                List.of(RedisKeys.job(jobId), RedisKeys.HISTORY, RedisKeys.QUEUE,
                        RedisKeys.idempotency(idempotencyScope, idempotent ? idempotencyKey : "-"),
                        RedisKeys.history(owner == null ? "-" : owner)),
                jobId,
                format(now),
                toJson(inputs),
                Long.toString(now.toEpochMilli()),
                Long.toString(settings.retention().toSeconds()),
                Long.toString(settings.idempotencyWindow().toSeconds()),
                Integer.toString(settings.historySize()),
                idempotent ? "1" : "0",
                owner == null ? "" : owner);
        return new Created(answer.substring(1), answer.charAt(0) == '+');
    }

    /** The job this client's idempotency key already created, if any. */
    public Optional<String> jobForIdempotencyKey(String idempotencyScope, String idempotencyKey) {
        return Optional.ofNullable(redis.opsForValue().get(RedisKeys.idempotency(idempotencyScope, idempotencyKey)));
    }

    public Optional<Job> find(String jobId) {
        if (!JobIds.isValid(jobId)) {
            return Optional.empty();
        }
        Map<Object, Object> fields = redis.opsForHash().entries(RedisKeys.job(jobId));
        return fields.isEmpty() ? Optional.empty() : Optional.of(toJob(fields));
    }

    /** One client's jobs (by token hash), most recent first; records that have expired are skipped. */
    public List<Job> recent(String owner, int limit) {
        var ids = redis.opsForZSet().reverseRange(RedisKeys.history(owner), 0, limit - 1L);
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        List<String> ordered = new ArrayList<>(ids);
        List<Object> records = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (String id : ordered) {
                connection.hashCommands().hGetAll(RedisKeys.job(id).getBytes());
            }
            return null;
        });
        List<Job> jobs = new ArrayList<>();
        for (Object record : records) {
            if (record instanceof Map<?, ?> fields && !fields.isEmpty()) {
                jobs.add(toJob(fields));
            }
        }
        return jobs;
    }

    /**
     * Makes this delivery the only one allowed to change the job from now on, unless a newer delivery (a larger
     * delivery number) claimed it already; the owner also records the story and image model the job runs with
     * unless an earlier delivery recorded them already, and gets the pair on record. One round trip.
     */
    public Claimed claim(JobDelivery delivery, String storyModel, String imageModel) {
        List<?> answer = redis.execute(claimScript, List.of(RedisKeys.job(delivery.jobId())), delivery.owner(),
                Long.toString(delivery.deliveryNumber()), storyModel, imageModel);
        String outcome = answer == null || answer.isEmpty() ? "missing" : String.valueOf(answer.get(0));
        return switch (outcome) {
            case "owned" -> new Claimed(Claim.OWNED, answer.size() == 3 && !answer.contains(null)
                    ? List.of(answer.get(1).toString(), answer.get(2).toString())
                    : List.of(storyModel, imageModel));
            case "terminal" -> new Claimed(Claim.TERMINAL, List.of());
            case "superseded" -> new Claimed(Claim.SUPERSEDED, List.of());
            default -> new Claimed(Claim.MISSING, List.of());
        };
    }

    /**
     * Records a status change made by {@code owner} ({@code null}: whoever owns it) and publishes it on
     * {@link RedisKeys#EVENTS_CHANNEL} in the same script. Returns the job after the change, or empty when it was
     * refused because the job ended already or another delivery took it over (then nothing is published).
     */
    public Optional<Job> transition(String jobId, String owner, JobStatus status, String errorMessage,
            String imageUrl, String story) {
        return transition(jobId, owner, -1, status, errorMessage, imageUrl, story);
    }

    /** As above, also refused when {@code deliveryNumber} (when not negative) is older than the job's owner's. */
    public Optional<Job> transition(String jobId, String owner, long deliveryNumber, JobStatus status,
            String errorMessage, String imageUrl, String story) {
        List<?> fields = redis.execute(
                transitionScript,
                List.of(RedisKeys.job(jobId)),
                status.name(),
                format(clock.instant()),
                owner == null ? "" : owner,
                nullToEmpty(errorMessage),
                nullToEmpty(imageUrl),
                nullToEmpty(story),
                Long.toString(settings.retention().toSeconds()),
                deliveryNumber < 0 ? "" : Long.toString(deliveryNumber),
                RedisKeys.EVENTS_CHANNEL);
        if (fields == null || fields.isEmpty()) {
            return Optional.empty();
        }
        Map<Object, Object> map = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            map.put(fields.get(i), fields.get(i + 1));
        }
        return Optional.of(toJob(map));
    }

    /** Remembers a job that was given up on, for operators. */
    public void recordDeadLetter(String jobId) {
        redis.opsForZSet().add(RedisKeys.DEAD_LETTERS, jobId, clock.millis());
    }

    public boolean ping() {
        String pong = redis.execute((RedisCallback<String>) connection -> connection.ping());
        return "PONG".equalsIgnoreCase(pong);
    }

    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private Job toJob(Map<?, ?> fields) {
        return new Job(
                str(fields, "job_id"),
                JobStatus.valueOf(str(fields, "status")),
                str(fields, "error_message"),
                str(fields, "image_url"),
                str(fields, "story"),
                str(fields, "created_at"),
                str(fields, "updated_at"),
                fromJson(str(fields, "inputs")),
                str(fields, "story_model"),
                str(fields, "image_model"),
                Long.parseLong(Optional.ofNullable(str(fields, "version")).orElse("0")));
    }

    private static String str(Map<?, ?> fields, String key) {
        Object value = fields.get(key);
        return value == null ? null : value.toString();
    }

    private String toJson(List<String> inputs) {
        try {
            return json.writeValueAsString(inputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> fromJson(String value) {
        if (value == null) {
            return List.of();
        }
        try {
            return json.readValue(value, STRING_LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt inputs field in a job record", e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static <T> RedisScript<T> script(String name, Class<T> type) {
        DefaultRedisScript<T> script = new DefaultRedisScript<>();
        script.setScriptSource(new ResourceScriptSource(new ClassPathResource("redis/" + name)));
        script.setResultType(type);
        return script;
    }
}
