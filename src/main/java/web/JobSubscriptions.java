package web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.IoPools;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import jobs.Job;
import jobs.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The WebSocket subscribers connected to this API instance, by job. Frames carry the job's version so a
 * subscriber never gets the same state twice nor an older one after a newer, even when its first frame (read
 * from Redis on connect) races with a published event. Each subscriber has its own mailbox, so a job's
 * subscribers are written to in parallel while each still gets its frames in order.
 */
@Component
public class JobSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(JobSubscriptions.class);
    // By job, then by session id: a closing socket leaves in O(1) instead of a scan of its job's subscribers.
    private final Map<String, Map<String, SubscriberMailbox>> byJob = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final Executor sends;
    private final SubscriberMailbox.Limits limits;
    private final Clock clock;

    @Autowired
    public JobSubscriptions(ObjectMapper json, IoPools pools, Clock clock) {
        this(json, pools.socketSends(), SubscriberMailbox.Limits.DEFAULT, clock);
    }

    JobSubscriptions(ObjectMapper json, Executor sends, SubscriberMailbox.Limits limits, Clock clock) {
        this.json = json;
        this.sends = sends;
        this.limits = limits;
        this.clock = clock;
    }

    SubscriberMailbox subscribe(String jobId, WebSocketSession session) {
        SubscriberMailbox subscriber = new SubscriberMailbox(jobId, session, sends, limits, clock);
        byJob.computeIfAbsent(jobId, id -> new ConcurrentHashMap<>()).put(session.getId(), subscriber);
        return subscriber;
    }

    void unsubscribe(String jobId, WebSocketSession session) {
        byJob.computeIfPresent(jobId, (id, subscribers) -> {
            subscribers.remove(session.getId());
            return subscribers.isEmpty() ? null : subscribers;
        });
    }

    /** Queues the state read from Redis right after connecting; it goes out before any later event. */
    void sendSnapshot(SubscriberMailbox subscriber, Job job) throws IOException {
        subscriber.offer(StatusFrame.of(job.version(), job.status().isTerminal(),
                json.writeValueAsString(job.view())));
    }

    /**
     * Relays one published event ({@code {"version": n, "job": {...}}}) to this job's subscribers here. Runs on
     * the single Redis listener thread, which keeps events in order; it only queues, the writes happen elsewhere.
     */
    public void broadcast(String event) throws IOException {
        JsonNode node = json.readTree(event);
        JsonNode job = node.path("job");
        Map<String, SubscriberMailbox> subscribers = byJob.get(job.path("job_id").asText());
        if (subscribers == null) {
            return;
        }
        long version = node.path("version").asLong();
        boolean terminal = JobStatus.valueOf(job.path("status").asText()).isTerminal();
        // One frame for all of this job's subscribers: serialising per subscriber cost a write per socket.
        StatusFrame frame = StatusFrame.of(version, terminal, json.writeValueAsString(job));
        for (SubscriberMailbox subscriber : subscribers.values()) {
            subscriber.offer(frame);
        }
    }

    /**
     * Queues each open socket's job as it is in Redis now. Frames carry versions, so a state already sent is not
     * sent again; a missed one (a lost PUBLISH, events while the listener was reconnecting) goes out now, and an
     * end state closes the socket as usual.
     */
    public void resync(Function<String, Optional<Job>> find) {
        for (Map.Entry<String, Map<String, SubscriberMailbox>> entry : byJob.entrySet()) {
            try {
                Optional<Job> job = find.apply(entry.getKey());
                if (job.isEmpty()) {
                    continue;
                }
                for (SubscriberMailbox subscriber : entry.getValue().values()) {
                    sendSnapshot(subscriber, job.get());
                }
            } catch (IOException | RuntimeException e) {
                log.warn("Could not re-read job {} for its subscribers: {}", entry.getKey(), e.getMessage());
                return;
            }
        }
    }

    int count() {
        return byJob.values().stream().mapToInt(Map::size).sum();
    }
}
