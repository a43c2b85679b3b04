package app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The images' AOT training run ({@code -Dpanel.aot-training=true} next to {@code -XX:AOTCacheOutput}): once the
 * service is fully up, it answers one {@code GET /health} through the real HTTP stack, then the JVM exits and
 * writes the cache.
 *
 * <p>Stopping at context refresh instead ({@code spring.context.exit=onRefresh}) leaves out everything a launch
 * does after it, and that is most of what stands between a launch and its first answer: Tomcat and Camel
 * starting, the Redis connection, the DispatcherServlet and the platform-http request path. Those classes would
 * then be loaded, linked and interpreted from scratch on every cold start (BENCHMARKS.md, B5).
 *
 * <p>The property is read when the service is ready rather than by a condition on the bean: the build's Spring AOT
 * pass fixes every condition at build time, where it is false.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE) // after every other ready listener (the worker's consumer), so theirs are trained too
public class AotTrainingRun {
    static final String PROPERTY = "panel.aot-training";
    private static final Logger log = LoggerFactory.getLogger(AotTrainingRun.class);

    @EventListener(ApplicationReadyEvent.class)
    public void answerOneRequestThenExit(ApplicationReadyEvent event) {
        if (!Boolean.getBoolean(PROPERTY)) {
            return;
        }
        ConfigurableApplicationContext context = event.getApplicationContext();
        String port = context.getEnvironment().getProperty("local.server.port");
        int status = healthStatus(port);
        // A training run that did not reach a working /health would bake a half-started service into the image.
        int exitCode = status == 200 ? 0 : 1;
        if (exitCode == 0) {
            log.info("AOT training run: GET /health answered 200; exiting so the JVM writes the cache");
        } else {
            log.error("AOT training run: GET /health answered {} instead of 200", status);
        }
        System.exit(SpringApplication.exit(context, () -> exitCode));
    }

    private static int healthStatus(String port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            log.error("AOT training run: GET /health failed", e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
