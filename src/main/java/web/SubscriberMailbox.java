package web;

import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * One WebSocket subscriber's frames in the order they were offered, written by at most one task at a time on a
 * shared executor. The Redis listener thread only enqueues, so one slow socket no longer delays every other
 * subscriber, and the frames of many subscribers are written in parallel. Only the draining task touches the
 * session, which is what keeps a subscriber's frames in order and lets Tomcat's session be used undecorated.
 */
final class SubscriberMailbox {
    private static final Logger log = LoggerFactory.getLogger(SubscriberMailbox.class);

    /**
     * When a subscriber is dropped: a frame has been on the wire longer than {@code sendTime} while another
     * waits, or the frames waiting add up to more than {@code bufferBytes}.
     */
    record Limits(Duration sendTime, int bufferBytes) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 512 * 1024);
    }

    private final String jobId;
    private final WebSocketSession session;
    private final Executor sends;
    private final Limits limits;
    private final Clock clock;
    private final Session container;
    private final Object tomcatEndpoint;

    // Guarded by this; held only to enqueue or dequeue, never across a socket write.
    private final Queue<StatusFrame> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private boolean draining;
    private boolean sending;
    private long sendStartedMillis;
    private CloseStatus closing;

    // Touched only by the draining task (one at a time; the executor's hand-over orders the accesses).
    private long sentVersion;

    SubscriberMailbox(String jobId, WebSocketSession session, Executor sends, Limits limits, Clock clock) {
        this.jobId = jobId;
        this.session = session;
        this.sends = sends;
        this.limits = limits;
        this.clock = clock;
        this.container = session instanceof NativeWebSocketSession standard
                ? standard.getNativeSession(Session.class) : null;
        this.tomcatEndpoint = container != null ? PreEncodedText.endpointOf(container) : null;
    }

    /** Queues a frame for this subscriber; never blocks on the socket. Over a limit, the subscriber is dropped. */
    void offer(StatusFrame frame) {
        synchronized (this) {
            if (closing != null) {
                return;
            }
            if (overLimit(frame)) {
                log.info("Dropping slow WebSocket subscriber of job {}: {} frames ({} bytes) waiting",
                        jobId, waiting.size() + 1, waitingBytes + frame.bytes());
                waiting.clear();
                waitingBytes = 0;
                closing = CloseStatus.SESSION_NOT_RELIABLE;
            } else {
                waiting.add(frame);
                waitingBytes += frame.bytes();
            }
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            sends.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // Shutting down: the sockets are about to close anyway.
            synchronized (this) {
                draining = false;
            }
        }
    }

    private boolean overLimit(StatusFrame frame) {
        boolean stuck = sending && clock.millis() - sendStartedMillis > limits.sendTime().toMillis();
        return stuck || waitingBytes + frame.bytes() > limits.bufferBytes();
    }

    private void drain() {
        while (true) {
            StatusFrame frame;
            CloseStatus close;
            synchronized (this) {
                close = closing;
                frame = close == null ? waiting.poll() : null;
                if (frame == null && close == null) {
                    draining = false;
                    return;
                }
                if (frame != null) {
                    waitingBytes -= frame.bytes();
                    sending = true;
                    sendStartedMillis = clock.millis();
                }
            }
            if (close != null) {
                closeQuietly(close);
                return;
            }
            deliver(frame);
            synchronized (this) {
                sending = false;
            }
        }
    }

    private void deliver(StatusFrame frame) {
        // The snapshot read on connect can race with published events: an older or repeated version is skipped.
        if (frame.version() <= sentVersion || !session.isOpen()) {
            return;
        }
        sentVersion = frame.version();
        try {
            send(frame);
            if (frame.terminal()) {
                stop(CloseStatus.NORMAL);
            }
        } catch (IOException | RuntimeException e) {
            log.info("Dropping WebSocket subscriber of job {}: {}", jobId, e.getMessage());
            stop(CloseStatus.SERVER_ERROR);
        }
    }

    /**
     * Writes the frame's bytes, encoded once per event, when the session is Tomcat's; else through the standard
     * API, where the container encodes the text for this socket.
     */
    private void send(StatusFrame frame) throws IOException {
        if (tomcatEndpoint != null) {
            PreEncodedText.send(tomcatEndpoint, frame.utf8());
        } else if (container != null) {
            container.getBasicRemote().sendText(frame.text());
        } else {
            session.sendMessage(new TextMessage(frame.text()));
        }
    }

    /** Ends this subscriber from the draining task: nothing more is queued, the socket is closed next. */
    private void stop(CloseStatus status) {
        synchronized (this) {
            if (closing == null) {
                closing = status;
            }
            waiting.clear();
            waitingBytes = 0;
        }
    }

    private void closeQuietly(CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException | RuntimeException e) {
            // Already gone.
        }
    }
}
