package config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redisstream.RedisStreamComponent;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.StringRedisSerializer;

/** Shared infrastructure: the clock, thread pools, and how Redis connections behave when Redis goes away. */
@Configuration(proxyBeanMethods = false)
public class InfrastructureConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Commands fail at once while Redis is unreachable (so uploads get a quick 503) and reconnect by themselves. */
    @Bean
    LettuceClientConfigurationBuilderCustomizer redisFailFast() {
        return builder -> builder.clientOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(3)).build())
                .build());
    }

    /** The {@code redis-stream:} Camel component the worker's queue route reads from. */
    @Bean("redis-stream")
    RedisStreamComponent redisStreamComponent(StringRedisTemplate redis) {
        return new RedisStreamComponent(redis);
    }

    /**
     * Camel's shutdown waits for exchanges in flight: only as long as the worker's hand-back takes, plus a margin.
     * After the hand-back a job still running belongs to another worker, so waiting longer gains nothing, and Cloud
     * Run's SIGKILL comes 10 s after SIGTERM.
     */
    @Bean
    CamelContextConfiguration shutdownWithinCloudRunGrace(PanelOneProperties properties) {
        long seconds = properties.worker().handBackAfter().toSeconds() + 2;
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
                context.getShutdownStrategy().setTimeout(seconds);
            }

            @Override
            public void afterApplicationStart(CamelContext context) {}
        };
    }

    @Bean
    StringRedisSerializer stringRedisSerializer() {
        return StringRedisSerializer.UTF_8;
    }

    /**
     * One listener thread, so events reach subscribers in the order they were published. Started before Camel, as
     * it was before Camel moved ahead of the web server (RoutesBeforePort): the status relay route then subscribes
     * on a running container, and a WebSocket opened as soon as the port is gets its events; it stops after Camel.
     */
    @Bean
    RedisMessageListenerContainer statusListenerContainer(RedisConnectionFactory connectionFactory) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer() {
            @Override
            public int getPhase() {
                return RoutesBeforePort.PHASE - 1;
            }
        };
        container.setConnectionFactory(connectionFactory);
        container.setTaskExecutor(Executors.newSingleThreadExecutor(named("status-events")));
        container.setRecoveryInterval(1000L);
        return container;
    }

    /** Not Executor beans: those would make Spring Boot drop the task executor platform-http runs on. */
    @Bean(destroyMethod = "close")
    IoPools ioPools() {
        return new IoPools();
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
