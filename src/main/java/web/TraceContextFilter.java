package web;

import config.PanelOneProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the request's trace into the logging context as {@code logging.googleapis.com/trace}, so Cloud Logging
 * groups a request's lines under its trace. Reads {@code X-Cloud-Trace-Context} or W3C {@code traceparent}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class TraceContextFilter extends OncePerRequestFilter {
    public static final String TRACE_KEY = "logging.googleapis.com/trace";
    private static final Pattern CLOUD_TRACE = Pattern.compile("^([0-9a-fA-F]{32})(?:/.*)?$");
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");

    private final String projectId;

    public TraceContextFilter(PanelOneProperties properties) {
        this.projectId = properties.projectId();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceId = traceId(request.getHeader("X-Cloud-Trace-Context"), request.getHeader("traceparent"));
        if (traceId == null) {
            chain.doFilter(request, response);
            return;
        }
        MDC.put(TRACE_KEY, "projects/" + projectId + "/traces/" + traceId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(TRACE_KEY);
        }
    }

    static String traceId(String cloudTrace, String traceparent) {
        if (cloudTrace != null) {
            Matcher m = CLOUD_TRACE.matcher(cloudTrace.trim());
            if (m.matches()) {
                return m.group(1).toLowerCase();
            }
        }
        if (traceparent != null) {
            Matcher m = TRACEPARENT.matcher(traceparent.trim());
            if (m.matches()) {
                return m.group(1);
            }
        }
        return null;
    }
}
