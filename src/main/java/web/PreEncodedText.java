package web;

import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a text frame whose UTF-8 bytes were encoded once for all subscribers. The standard API takes text only
 * as a {@code String} or through a {@code Writer}, and Tomcat then encodes it again for every socket (and the
 * writer allocates an 8K-character buffer for each). Tomcat's endpoint has the blocking send its own text sends
 * end in, taking the payload as bytes, but it is not public: it is looked up once, and where it is not found
 * (another container, another Tomcat) {@link #endpointOf} answers {@code null} and the standard send is used.
 */
final class PreEncodedText {
    private static final Logger log = LoggerFactory.getLogger(PreEncodedText.class);
    private static final byte OPCODE_TEXT = 1;
    private static final Class<?> SESSION;
    private static final MethodHandle ENDPOINT;
    private static final MethodHandle SEND;

    static {
        Class<?> session = null;
        MethodHandle endpoint = null;
        MethodHandle send = null;
        try {
            session = Class.forName("org.apache.tomcat.websocket.WsSession");
            Class<?> remote = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase");
            endpoint = MethodHandles.privateLookupIn(session, MethodHandles.lookup())
                    .findGetter(session, "wsRemoteEndpoint", remote)
                    .asType(MethodType.methodType(Object.class, Object.class));
            send = MethodHandles.privateLookupIn(remote, MethodHandles.lookup())
                    .findVirtual(remote, "sendMessageBlock",
                            MethodType.methodType(void.class, byte.class, ByteBuffer.class, boolean.class))
                    .asType(MethodType.methodType(void.class, Object.class, byte.class, ByteBuffer.class,
                            boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("WebSocket frames are encoded per socket: {}", e.toString());
            session = null;
            endpoint = null;
            send = null;
        }
        SESSION = session;
        ENDPOINT = endpoint;
        SEND = send;
    }

    private PreEncodedText() {}

    /** Tomcat's endpoint behind this session, or {@code null} when frames must go through the standard API. */
    static Object endpointOf(Session session) {
        if (SESSION == null || !SESSION.isInstance(session)) {
            return null;
        }
        try {
            return (Object) ENDPOINT.invokeExact((Object) session);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Writes one whole text message, waiting for it as the standard blocking sends do. */
    static void send(Object endpoint, byte[] utf8) throws IOException {
        try {
            // A buffer of its own per socket (the write moves its position); the bytes are shared.
            SEND.invokeExact(endpoint, OPCODE_TEXT, ByteBuffer.wrap(utf8), true);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }
}
