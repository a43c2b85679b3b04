package web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jobs.Job;
import jobs.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The WebSocket subscribers connected to this API instance, by job. Frames carry the job's version so a
 * subscriber never gets the same state twice nor an older one after a newer, even when its first frame (read
 * from Redis on connect) races with a published event.
 */
@Component
public class JobSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(JobSubscriptions.class);

    private final Map<String, Set<Subscriber>> byJob = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    public JobSubscriptions(ObjectMapper json) {
        this.json = json;
    }

    /** One connected client and the newest version it was sent. */
    static final class Subscriber {
        final WebSocketSession session;
        long sentVersion;

        Subscriber(WebSocketSession session) {
            this.session = session;
        }
    }

    Subscriber subscribe(String jobId, WebSocketSession session) {
        Subscriber subscriber = new Subscriber(session);
        byJob.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
        return subscriber;
    }

    void unsubscribe(String jobId, WebSocketSession session) {
        byJob.computeIfPresent(jobId, (id, subscribers) -> {
            subscribers.removeIf(subscriber -> subscriber.session.getId().equals(session.getId()));
            return subscribers.isEmpty() ? null : subscribers;
        });
    }

    /** Sends the state read from Redis right after connecting. */
    void sendSnapshot(Subscriber subscriber, Job job) throws IOException {
        send(subscriber, job.version(), job.status(), job.jobId(), json.writeValueAsString(job.view()));
    }

    /** Relays one published event ({@code {"version": n, "job": {...}}}) to this job's subscribers here. */
    public void broadcast(String event) throws IOException {
        JsonNode node = json.readTree(event);
        JsonNode job = node.path("job");
        Set<Subscriber> subscribers = byJob.get(job.path("job_id").asText());
        if (subscribers == null) {
            return;
        }
        long version = node.path("version").asLong();
        JobStatus status = JobStatus.valueOf(job.path("status").asText());
        // One frame text for all of this job's subscribers: serialising per subscriber cost a write per socket.
        String frame = json.writeValueAsString(job);
        for (Subscriber subscriber : subscribers) {
            send(subscriber, version, status, job.path("job_id").asText(), frame);
        }
    }

    int count() {
        return byJob.values().stream().mapToInt(Set::size).sum();
    }

    private void send(Subscriber subscriber, long version, JobStatus status, String jobId, String frame) {
        synchronized (subscriber) {
            if (version <= subscriber.sentVersion || !subscriber.session.isOpen()) {
                return;
            }
            subscriber.sentVersion = version;
            try {
                subscriber.session.sendMessage(new TextMessage(frame));
                if (status.isTerminal()) {
                    subscriber.session.close(CloseStatus.NORMAL);
                }
            } catch (IOException | RuntimeException e) {
                log.info("Dropping WebSocket subscriber of job {}: {}", jobId, e.getMessage());
                closeQuietly(subscriber.session);
            }
        }
    }

    private static void closeQuietly(WebSocketSession session) {
        try {
            session.close(CloseStatus.SERVER_ERROR);
        } catch (IOException e) {
            // Already gone.
        }
    }
}
