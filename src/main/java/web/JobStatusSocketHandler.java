package web;

import java.net.URI;
import java.util.Map;
import jobs.JobIds;
import jobs.JobStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** WS /ws/{job_id}: the job's current state at once, then one frame per status change, closed after the end. */
@Component
public class JobStatusSocketHandler extends TextWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(JobStatusSocketHandler.class);
    private static final String JOB_ID = "jobId";

    private final JobStore jobs;
    private final JobSubscriptions subscriptions;
    private final ObjectMapper json;

    public JobStatusSocketHandler(JobStore jobs, JobSubscriptions subscriptions, ObjectMapper json) {
        this.jobs = jobs;
        this.subscriptions = subscriptions;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        // Once subscribed, only the subscriber's mailbox writes to the session (one task at a time, with send-time
        // and buffer limits), so the session needs no ConcurrentWebSocketSessionDecorator.
        String jobId = jobIdOf(session.getUri());
        session.getAttributes().put(JOB_ID, jobId);
        var job = JobIds.isValid(jobId) ? jobs.find(jobId) : java.util.Optional.<jobs.Job>empty();
        if (job.isEmpty()) {
            session.sendMessage(new TextMessage(json.writeValueAsString(Map.of("detail", "Job not found"))));
            session.close(CloseStatus.NORMAL);
            return;
        }
        // Subscribe before reading the snapshot, so no event between the two is missed.
        var subscriber = subscriptions.subscribe(jobId, session);
        subscriptions.sendSnapshot(subscriber, jobs.find(jobId).orElse(job.get()));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Object jobId = session.getAttributes().get(JOB_ID);
        if (jobId != null) {
            subscriptions.unsubscribe(jobId.toString(), session);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("WebSocket transport error: {}", exception.getMessage());
    }

    static String jobIdOf(URI uri) {
        String path = uri == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
