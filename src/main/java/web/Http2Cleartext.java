package web;

import org.apache.coyote.Request;
import org.apache.coyote.http2.Http2Protocol;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * HTTP/2 cleartext with prior knowledge, as Cloud Run speaks it to a service deployed with {@code --use-http2}: with
 * HTTP/2 end to end Cloud Run's 32 MiB cap on HTTP/1 request bodies does not cut the 60 MiB request limit short.
 *
 * <p>Not {@code server.http2.enabled}: that also accepts the HTTP/1.1 {@code Upgrade: h2c} handshake, for which
 * Tomcat must hold the request body in memory and refuses any over 4 KiB with its own 413 page. Java's HttpClient
 * sends that handshake by default, so every upload from it failed. Here the handshake is declined and the request
 * simply continues over HTTP/1.1, while a connection opening with the HTTP/2 preface is served as HTTP/2.
 */
@Component
public class Http2Cleartext implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.addUpgradeProtocol(new PriorKnowledgeOnly()));
    }

    /** Tomcat's HTTP/2 that never accepts an HTTP/1.1 upgrade. */
    static final class PriorKnowledgeOnly extends Http2Protocol {
        @Override
        public boolean accept(Request request) {
            return false;
        }
    }
}
