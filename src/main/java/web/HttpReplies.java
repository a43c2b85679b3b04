package web;

import access.AccessRefusedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** Writes the JSON replies of the platform-http routes: a body, a status, and no echoed request headers. */
@Component
public class HttpReplies {
    private final ObjectMapper json;

    public HttpReplies(ObjectMapper json) {
        this.json = json;
    }

    public void json(Exchange exchange, int status, Object body) {
        Message message = exchange.getMessage();
        // platform-http would otherwise send every request header back as a response header.
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refusal of who asked or how much: its status, {@code detail} and headers (WWW-Authenticate, Retry-After). */
    public void refusal(Exchange exchange, AccessRefusedException refused) {
        detail(exchange, refused.status(), refused.getMessage());
        refused.headers().forEach(exchange.getMessage()::setHeader);
    }

    /** The API's error body (docs/API.md): {@code {"detail": "..."}}. */
    public void detail(Exchange exchange, int status, String detail) {
        json(exchange, status, Map.of("detail", detail));
    }
}
