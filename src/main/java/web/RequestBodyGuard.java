package web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, without reading a byte of it, a request body sent anywhere but {@code POST /generate} (docs/API.md,
 * "Clients, history and limits"): 413 with a {@code detail}.
 *
 * <p>platform-http reads any body it is handed into a String before the route runs, whatever the route does with
 * it; six 30 MiB bodies on {@code GET /health} filled the API's 320 MiB heap. This filter runs before anything that
 * could read a body (only CORS comes first, and it reads headers), decides on the container's normalised path
 * ({@link RequestPaths}) and covers every role that serves HTTP, the worker's {@code /health} included. The unread
 * body is then discarded by Tomcat (at most {@code server.tomcat.max-swallow-size}, through a fixed buffer, never
 * into the heap) or the connection closed, so the client receives the answer rather than a reset.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestBodyGuard extends OncePerRequestFilter {
    static final String DETAIL = "This request must not have a body: only POST /generate accepts one";
    private static final Logger log = LoggerFactory.getLogger(RequestBodyGuard.class);

    private final ObjectMapper json;

    public RequestBodyGuard(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (RequestPaths.isUpload(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (!hasBody(request)) {
            // On HTTP/2 the check took the input stream; platform-http then asks for a reader, which would fail.
            chain.doFilter(isHttp2(request) ? new ReaderFromStream(request) : request, response);
            return;
        }
        log.info("Refused a {} {} with a body, unread", request.getMethod(), RequestPaths.normalised(request));
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Map.of("detail", DETAIL));
        // Sent now, before the container resets an HTTP/2 stream whose body nobody read.
        response.flushBuffer();
    }

    private static boolean isHttp2(HttpServletRequest request) {
        return request.getProtocol() != null && request.getProtocol().startsWith("HTTP/2");
    }

    /** A request whose input stream was taken (and found empty), with its reader read from that stream. */
    private static final class ReaderFromStream extends HttpServletRequestWrapper {
        ReaderFromStream(HttpServletRequest request) {
            super(request);
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }
    }

    /**
     * A declared length above zero or a chunked body (HTTP/1.1); on HTTP/2, where neither need be declared, a stream
     * the client has not ended with its headers. Nothing here reads the body.
     */
    static boolean hasBody(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length > 0 || request.getHeader("Transfer-Encoding") != null) {
            return true;
        }
        if (length == 0) {
            return false;
        }
        return isHttp2(request) && !request.getInputStream().isFinished();
    }
}
