package ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * Reads and discards what a client is still sending before it is refused. An answer sent while a large body is
 * still coming lets the connection close under the client, which then sees a broken pipe instead of the reason.
 * Bounded, so nobody can hold a thread by sending forever.
 */
public final class UnreadBody {
    private UnreadBody() {}

    public static void drain(HttpServletRequest request, long maxBytes) {
        if (request == null) {
            return;
        }
        byte[] sink = new byte[64 * 1024];
        long left = maxBytes;
        try (var in = request.getInputStream()) {
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the body was taken as a reader: nothing more to do.
        }
    }
}
