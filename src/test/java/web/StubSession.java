package web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A WebSocket session that records the {@code updated_at} of every frame sent and how it was closed, and notes
 * when two threads send at once (Tomcat's session would throw then).
 */
class StubSession implements WebSocketSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger ids = new AtomicInteger();

    private final String id = "s" + ids.incrementAndGet();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicInteger sending = new AtomicInteger();
    private volatile boolean overlapped;

    /** Called inside every send, before the frame counts as sent: lets a test make a write slow or stuck. */
    protected void write(String frame) throws IOException {}

    @Override
    public void sendMessage(WebSocketMessage<?> message) throws IOException {
        if (sending.incrementAndGet() > 1) {
            overlapped = true;
        }
        try {
            String text = ((TextMessage) message).getPayload();
            write(text);
            sent.add(JSON.readTree(text).path("updated_at").asText());
        } finally {
            sending.decrementAndGet();
        }
    }

    List<String> sent() {
        return List.copyOf(sent);
    }

    boolean overlapped() {
        return overlapped;
    }

    CompletableFuture<CloseStatus> closed() {
        return closed;
    }

    @Override
    public void close(CloseStatus status) {
        closed.complete(status);
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL);
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public URI getUri() {
        return URI.create("ws://localhost/ws/job");
    }

    @Override
    public HttpHeaders getHandshakeHeaders() {
        return new HttpHeaders();
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public Principal getPrincipal() {
        return null;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return null;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return null;
    }

    @Override
    public String getAcceptedProtocol() {
        return null;
    }

    @Override
    public void setTextMessageSizeLimit(int messageSizeLimit) {}

    @Override
    public int getTextMessageSizeLimit() {
        return 0;
    }

    @Override
    public void setBinaryMessageSizeLimit(int messageSizeLimit) {}

    @Override
    public int getBinaryMessageSizeLimit() {
        return 0;
    }

    @Override
    public List<WebSocketExtension> getExtensions() {
        return List.of();
    }
}
