package web;

import java.nio.charset.StandardCharsets;
import org.springframework.web.socket.TextMessage;

/**
 * One job state as a WebSocket frame, built once per event and shared by every subscriber of the job.
 *
 * @param version the job's version; a subscriber is never sent a version twice nor an older one after a newer
 * @param terminal whether the socket is closed after this frame
 * @param message the text frame (immutable, so one instance serves all subscribers)
 * @param bytes the frame's UTF-8 size, counted against a subscriber's buffer limit
 * @param chars the frame's text as characters, extracted once for all subscribers' writers (never modified)
 */
record StatusFrame(long version, boolean terminal, TextMessage message, int bytes, char[] chars) {

    static StatusFrame of(long version, boolean terminal, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // Built from the bytes, so TextMessage does not encode the text again each time its length is asked.
        return new StatusFrame(version, terminal, new TextMessage(utf8), utf8.length, text.toCharArray());
    }
}
