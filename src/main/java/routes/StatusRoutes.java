package routes;

import jobs.RedisKeys;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import processors.RecordStatusProcessor;
import web.JobSubscriptions;

/**
 * Status changes: each is written to the job record and published on Redis pub/sub; every API instance relays
 * the events to the WebSocket subscribers connected to it.
 */
@Component
public class StatusRoutes extends RouteBuilder {
    public static final String PUBLISH_STATUS = "direct:publish-status";

    private final RecordStatusProcessor recordStatus;
    private final JobSubscriptions subscriptions;
    private final org.springframework.core.env.Environment environment;

    public StatusRoutes(RecordStatusProcessor recordStatus, JobSubscriptions subscriptions,
            org.springframework.core.env.Environment environment) {
        this.recordStatus = recordStatus;
        this.subscriptions = subscriptions;
        this.environment = environment;
    }

    @Override
    public void configure() {
        from(PUBLISH_STATUS)
                .routeId("publish-status")
                .process(recordStatus).id("record-status")
                .to("spring-redis://redis?command=PUBLISH&redisTemplate=#stringRedisTemplate").id("publish-event");

        if (environment.matchesProfiles("api")) {
            from("spring-redis://redis?command=SUBSCRIBE&channels=" + RedisKeys.EVENTS_CHANNEL
                            + "&listenerContainer=#statusListenerContainer&serializer=#stringRedisSerializer")
                    .routeId("status-fanout")
                    .bean(subscriptions, "broadcast").id("relay-to-websockets");
        }
    }
}
