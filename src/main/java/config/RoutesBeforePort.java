package config;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelSpringBootApplicationListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.stereotype.Component;

/**
 * Starts Camel, and with it every route ({@code POST /generate}, {@code /job/{id}}, {@code /jobs}, {@code /health},
 * the status relay, the worker's queue), before Spring Boot's web server opens {@code PORT}.
 *
 * <p>Left alone, camel-spring-boot adds the routes and starts Camel on {@code ContextRefreshedEvent}, which Spring
 * publishes only after every {@link SmartLifecycle} has started, the web server among them
 * ({@code WebServerStartStopLifecycle}, phase {@code DEFAULT_PHASE - 2048}). For that gap (up to seconds on loaded
 * cores) the port accepted connections and answered every route's path with 404; Cloud Run's default startup probe
 * is a TCP connect, so the request that woke a scaled-to-zero instance could get one. Here the same work runs one
 * phase earlier: a TCP connect succeeds only once the routes answer.
 *
 * <p>The work is camel-spring-boot's own, in its order: {@link CamelSpringBootApplicationListener} adds the routes
 * and the Camel settings ({@code camel.main.*}, {@code CamelContextConfiguration} beans), then the context starts.
 * When the real {@code ContextRefreshedEvent} arrives later, both do nothing: the listener acts only on a stopped
 * context, and {@code DefaultCamelContext.start()} ignores a started one.
 *
 * <p>Shutdown is left as it was. {@code SpringCamelContext} is itself a {@code Lifecycle} in {@link #PHASE}, and
 * phases stop from the highest down: graceful shutdown ({@code DEFAULT_PHASE - 1024}) first stops taking requests
 * and lets those in flight finish, then the web server stops, then Camel stops its routes.
 */
@Component
public class RoutesBeforePort implements SmartLifecycle {
    /** One below the web server's start/stop phase: the phase {@code SpringCamelContext} declares for itself. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2049;

    private final ApplicationContext applicationContext;
    private final CamelSpringBootApplicationListener routesListener;
    private final ObjectProvider<CamelContext> camel;
    private volatile boolean running;

    /**
     * The context through a provider: a bean this one depends on directly is started by Spring before this one, and
     * {@code SpringCamelContext} is a {@code Lifecycle}, so it would start there with no routes yet.
     */
    public RoutesBeforePort(ApplicationContext applicationContext, CamelSpringBootApplicationListener routesListener,
            ObjectProvider<CamelContext> camel) {
        this.applicationContext = applicationContext;
        this.routesListener = routesListener;
        this.camel = camel;
    }

    @Override
    public void start() {
        // The listener is handed the refresh it would otherwise wait for; no event is published to anyone else.
        routesListener.onApplicationEvent(new ContextRefreshedEvent(applicationContext));
        camel.getObject().start();
        running = true;
    }

    /** Camel stops itself in this phase (see the class comment); nothing to undo here. */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
