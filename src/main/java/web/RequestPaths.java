package web;

import jakarta.servlet.http.HttpServletRequest;
import ingest.IngestPaths;

/**
 * The one rule deciding which request may send a body: POST to {@code /generate} as the container normalised it.
 *
 * <p>The container's servlet path is the request URI decoded, with {@code ;parameters} and dot segments removed:
 * {@code POST /generate;x} is {@code /generate} there, as it is for Spring's handler mapping. Every place that treats
 * a request as an upload ({@link RequestBodyGuard}, {@link UploadSizeFilter}, {@link UnreadUploadResolver}) asks
 * this class, so no spelling of a path can be an upload to one of them and an ordinary request to another.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    /** The path the container maps, e.g. {@code /generate} for {@code /generate;x} or {@code /a/../generate}. */
    public static String normalised(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        return servletPath + pathInfo;
    }

    /** True for the one request that may carry a body: {@code POST /generate}. */
    public static boolean isUpload(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && IngestPaths.GENERATE.equals(normalised(request));
    }
}
