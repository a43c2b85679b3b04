package redisstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.StreamRecords;
import support.TestRedis;

/**
 * The heartbeat of the entries in hand keeps beating while the jobs keep every thread of the worker's pools busy.
 * Where Camel's pools are virtual threads (JDK 21+, as in the images), the jobs share a few carrier threads, and a
 * virtual thread that computes or is pinned keeps its carrier until it blocks: a heartbeat on those carriers would
 * fall silent with the jobs, and a live worker's entries would be reclaimed as if it had died. On JDK 17 the pools
 * are platform threads and the case does not arise, so the test runs on JDK 21+ only.
 */
class HeartbeatUnderBusyJobsJdk25IT {
    private static final String STREAM = "heartbeat-test:queue";
    private static final String GROUP = "heartbeat-test";
    private static final Duration BUSY = Duration.ofSeconds(6);

    static {
        // What camel-spring-boot sets from spring.threads.virtual.enabled (application.yaml) before Camel reads it.
        System.setProperty("camel.threads.virtual.enabled", "true");
    }

    private TestRedis redis;
    private final AtomicBoolean release = new AtomicBoolean();
    private DefaultCamelContext camel;

    @AfterEach
    void stop() {
        release.set(true);
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void entriesInHandStayFreshWhileTheJobsKeepEveryCarrierBusy() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        redis = TestRedis.get();
        redis.flush();
        // One job per carrier of the virtual-thread scheduler, each computing without blocking, as a job decoding a
        // large panel does, or one pinned to its carrier.
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        CountDownLatch allBusy = new CountDownLatch(carriers);
        AtomicBoolean virtualJobs = new AtomicBoolean(true);
        camel = new DefaultCamelContext();
        camel.addComponent("redis-stream", new RedisStreamComponent(redis.redis()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-stream:" + STREAM + "?group=" + GROUP + "&consumerName=busy&maxInFlight=" + carriers
                        + "&heartbeatInterval=200&reclaimAfter=60000")
                        .process(exchange -> {
                            virtualJobs.compareAndSet(true, isVirtual(Thread.currentThread()));
                            allBusy.countDown();
                            long until = System.nanoTime() + BUSY.toNanos();
                            while (System.nanoTime() < until && !release.get()) {
                                Thread.onSpinWait();
                            }
                        });
            }
        });
        camel.start();
        for (int i = 0; i < carriers; i++) {
            redis.redis().opsForStream().add(StreamRecords.newRecord().in(STREAM).ofMap(Map.of("job", "job-" + i)));
        }
        assertThat(allBusy.await(30, TimeUnit.SECONDS)).as("every job started").isTrue();
        assumeTrue(virtualJobs.get(), "Camel's pools are not virtual threads here");

        // While every job computes, no entry in hand may look idle much longer than a heartbeat interval.
        AtomicLong worstIdle = new AtomicLong();
        long end = System.nanoTime() + BUSY.minusSeconds(1).toNanos();
        while (System.nanoTime() < end) {
            for (PendingMessage pending : pending()) {
                worstIdle.accumulateAndGet(pending.getElapsedTimeSinceLastDelivery().toMillis(), Math::max);
            }
            Thread.sleep(100);
        }
        assertThat(worstIdle.get()).as("longest idle time of an entry in hand, ms").isLessThan(2_000);
        release.set(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> pending().isEmpty());
    }

    private List<PendingMessage> pending() {
        return redis.redis().opsForStream().pending(STREAM, GROUP, Range.unbounded(), 100).toList();
    }

    private static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
