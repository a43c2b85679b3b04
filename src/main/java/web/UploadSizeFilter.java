package web;

import com.fasterxml.jackson.databind.ObjectMapper;
import config.PanelOneProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a POST /generate whose declared length is over the request limit, before it reaches the route.
 *
 * <p>Answered here, synchronously, Tomcat then reads and discards the unsent rest of the body (up to
 * {@code server.tomcat.max-swallow-size}), so the client, still sending, receives its 413. Answered from the
 * route's async handler, the connection was closed under a client still sending, which saw a broken pipe
 * instead of the answer about half the time.
 */
@Component
@Profile("api")
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class UploadSizeFilter extends OncePerRequestFilter {
    private final long maxRequestBytes;
    private final String detail;
    private final ObjectMapper json;

    public UploadSizeFilter(PanelOneProperties properties, ObjectMapper json) {
        this.maxRequestBytes = properties.limits().maxRequestSize().toBytes();
        this.detail = "The request is larger than " + properties.limits().maxRequestSize().toMegabytes() + " MiB";
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.isUpload(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() <= maxRequestBytes) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Map.of("detail", detail));
    }
}
