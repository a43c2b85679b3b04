package web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardMultipartHttpServletRequest;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Hands POST /generate to its route with the body still unread, for the route to stream ({@link
 * ingest.MultipartStreamReader}).
 *
 * <p>platform-http reads any other request body into the heap (as a String) before the route runs; it leaves the
 * body alone only when Spring has already resolved the request as multipart. So this request is "resolved" to a
 * multipart request whose parts are never parsed. Spring's own multipart support stays off
 * ({@code spring.servlet.multipart.enabled: false}): with a multipart config on the servlet, Tomcat would parse the
 * whole body as soon as anything asked for a request parameter.
 */
@Component(DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
@Profile("api")
public class UnreadUploadResolver implements MultipartResolver {

    @Override
    public boolean isMultipart(HttpServletRequest request) {
        // Every POST there, multipart or not: a body that is not multipart is refused (415) without being read.
        return RequestPaths.isUpload(request);
    }

    @Override
    public MultipartHttpServletRequest resolveMultipart(HttpServletRequest request) {
        return new UnreadMultipartRequest(request);
    }

    @Override
    public void cleanupMultipart(MultipartHttpServletRequest request) {
        // Nothing was parsed here; the route deletes the temp files it wrote.
    }

    /** A multipart request with no parsed files or fields; parameters are the query string's only. */
    static final class UnreadMultipartRequest extends StandardMultipartHttpServletRequest {
        UnreadMultipartRequest(HttpServletRequest request) {
            super(request, true);
        }

        @Override
        protected void initializeMultipart() {
            setMultipartFiles(new LinkedMultiValueMap<>());
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return getRequest().getParameterNames();
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return getRequest().getParameterMap();
        }

        @Override
        public String getMultipartContentType(String paramOrFileName) {
            return null;
        }

        @Override
        public HttpHeaders getMultipartHeaders(String paramOrFileName) {
            return null;
        }
    }
}
