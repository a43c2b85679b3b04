package routes;

import jobs.RedisKeys;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.redis.RedisConstants;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import processors.RecordStatusProcessor;
import processors.RepublishStatusProcessor;
import web.JobSubscriptions;

/**
 * Status changes: each is written to the job record and published on Redis pub/sub by one script (one round trip);
 * every API instance relays the events to the WebSocket subscribers connected to it. A delivery that finds its job ended publishes the
 * recorded end state again, since the worker that recorded it may have died before publishing.
 */
@Component
public class StatusRoutes extends RouteBuilder {
    public static final String PUBLISH_STATUS = "direct:publish-status";
    public static final String REPUBLISH_STATUS = "direct:republish-status";
    private static final String PUBLISH = "spring-redis://redis?command=PUBLISH&redisTemplate=#stringRedisTemplate";

    private final RecordStatusProcessor recordStatus;
    private final ObjectProvider<RepublishStatusProcessor> republishStatus;
    private final JobSubscriptions subscriptions;
    private final Environment environment;

    public StatusRoutes(RecordStatusProcessor recordStatus, ObjectProvider<RepublishStatusProcessor> republishStatus,
            JobSubscriptions subscriptions, Environment environment) {
        this.recordStatus = recordStatus;
        this.republishStatus = republishStatus;
        this.subscriptions = subscriptions;
        this.environment = environment;
    }

    @Override
    public void configure() {
        from(PUBLISH_STATUS)
                .routeId("publish-status")
                // Records and publishes: transition-job.lua does both.
                .process(recordStatus).id("record-status");

        if (environment.matchesProfiles("worker")) {
            from(REPUBLISH_STATUS)
                    .routeId("republish-status")
                    .process(republishStatus.getObject()).id("read-recorded-status")
                    .filter(header(RedisConstants.MESSAGE).isNotNull())
                        .to(PUBLISH).id("republish-event");
        }

        if (environment.matchesProfiles("api")) {
            from("spring-redis://redis?command=SUBSCRIBE&channels=" + RedisKeys.EVENTS_CHANNEL
                            + "&listenerContainer=#statusListenerContainer&serializer=#stringRedisSerializer")
                    .routeId("status-fanout")
                    .bean(subscriptions, "broadcast").id("relay-to-websockets");
        }
    }
}
