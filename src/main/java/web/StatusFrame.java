package web;

import java.nio.charset.StandardCharsets;

/**
 * One job state as a WebSocket frame, built once per event and shared by every subscriber of the job.
 *
 * @param version the job's version; a subscriber is never sent a version twice nor an older one after a newer
 * @param terminal whether the socket is closed after this frame
 * @param text the frame's text
 * @param utf8 the text encoded once for all subscribers (never modified); its length counts against a
 *     subscriber's buffer limit
 */
record StatusFrame(long version, boolean terminal, String text, byte[] utf8) {

    static StatusFrame of(long version, boolean terminal, String text) {
        return new StatusFrame(version, terminal, text, text.getBytes(StandardCharsets.UTF_8));
    }

    int bytes() {
        return utf8.length;
    }
}
