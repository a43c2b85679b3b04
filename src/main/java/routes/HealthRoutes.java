package routes;

import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import web.HttpReplies;

/** GET /health: liveness for Cloud Run, on the API and the worker alike. Readiness lives under the actuator. */
@Component
public class HealthRoutes extends RouteBuilder {
    private final HttpReplies replies;

    public HealthRoutes(HttpReplies replies) {
        this.replies = replies;
    }

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET")
                .routeId("health")
                .process(exchange -> replies.json(exchange, 200, Map.of("status", "ok")));
    }
}
