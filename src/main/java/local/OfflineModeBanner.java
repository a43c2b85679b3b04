package local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says, loudly and after start-up noise, that panels are drawn offline and where to open the page. */
@Component
@Profile("local")
public class OfflineModeBanner {
    static final String PROPERTY = "panel.offline";
    private static final Logger log = LoggerFactory.getLogger(OfflineModeBanner.class);

    @EventListener(ApplicationReadyEvent.class)
    public void announce(ApplicationReadyEvent event) {
        String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
        if (Boolean.getBoolean(PROPERTY)) {
            log.warn("*** OFFLINE MODE: GEMINI_API_KEY is not set. Stories and panels come from Panel One's built-in"
                    + " stand-in for Gemini (a collage of your photos), not from Gemini. Set GEMINI_API_KEY for real"
                    + " panels. ***");
        }
        log.info("Panel One is running: open http://localhost:{}/", port);
    }
}
