package web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import jobs.Job;
import jobs.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

/** Relaying status events to WebSocket subscribers: order, no repeats, closing, and dropping slow clients. */
class JobSubscriptionsTest {
    private static final String JOB = "job-1";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void everySubscriberGetsEveryVersionOnceAndInOrderWhileTheirWritesOverlap() throws Exception {
        JobSubscriptions subscriptions = relay(pool, SubscriberMailbox.Limits.DEFAULT);
        List<StubSession> sessions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // Writes of different lengths, so one subscriber's frames would overtake each other if sent by
            // several tasks at once.
            int index = i;
            StubSession session = new StubSession() {
                @Override
                protected void write(String frame) {
                    spin(Duration.ofNanos(1_000L * ((index * 31 + frame.hashCode()) & 63)));
                }
            };
            subscriptions.subscribe(JOB, session);
            sessions.add(session);
        }
        int events = 40;
        for (int version = 1; version <= events; version++) {
            subscriptions.broadcast(event(version, JobStatus.GENERATING_STORY));
        }

        await().atMost(DEADLINE).until(() -> sessions.stream().allMatch(s -> s.sent().size() == events));
        List<String> expected = IntStream.rangeClosed(1, events).mapToObj(JobSubscriptionsTest::stamp).toList();
        for (StubSession session : sessions) {
            assertThat(session.sent()).containsExactlyElementsOf(expected);
            assertThat(session.overlapped()).as("two sends at once on one session").isFalse();
            assertThat(session.isOpen()).isTrue();
        }
    }

    @Test
    void aClosedSocketLeavesItsJobAndOnlyIt() throws Exception {
        JobSubscriptions subscriptions = relay(pool, SubscriberMailbox.Limits.DEFAULT);
        List<StubSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StubSession session = new StubSession();
            subscriptions.subscribe(JOB, session);
            sessions.add(session);
        }
        StubSession gone = sessions.remove(2);

        subscriptions.unsubscribe(JOB, gone);
        subscriptions.unsubscribe("another-job", sessions.get(0));
        subscriptions.broadcast(event(1, JobStatus.GENERATING_STORY));

        await().atMost(DEADLINE).until(() -> sessions.stream().allMatch(s -> s.sent().size() == 1));
        assertThat(gone.sent()).isEmpty();
        assertThat(subscriptions.count()).isEqualTo(4);
        for (StubSession session : sessions) {
            subscriptions.unsubscribe(JOB, session);
        }
        assertThat(subscriptions.count()).isZero();
    }

    @Test
    void aStuckSubscriberDoesNotHoldUpTheOthersNorTheListener() throws Exception {
        JobSubscriptions subscriptions = relay(pool, SubscriberMailbox.Limits.DEFAULT);
        StuckSession stuck = new StuckSession();
        StubSession other = new StubSession();
        subscriptions.subscribe(JOB, stuck);
        subscriptions.subscribe(JOB, other);

        subscriptions.broadcast(event(1, JobStatus.PROCESSING_IMAGES));
        stuck.awaitWriting();
        subscriptions.broadcast(event(2, JobStatus.GENERATING_STORY));

        await().atMost(DEADLINE).until(() -> other.sent().size() == 2);
        assertThat(other.sent()).containsExactly(stamp(1), stamp(2));
        stuck.release();
        await().atMost(DEADLINE).until(() -> stuck.sent().size() == 2);
        assertThat(stuck.sent()).containsExactly(stamp(1), stamp(2));
    }

    @Test
    void theSnapshotReadOnConnectNeverRepeatsNorUndoesAPublishedEvent() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        JobSubscriptions subscriptions = relay(executor, SubscriberMailbox.Limits.DEFAULT);
        StubSession late = new StubSession();
        StubSession early = new StubSession();
        SubscriberMailbox lateSubscriber = subscriptions.subscribe(JOB, late);
        SubscriberMailbox earlySubscriber = subscriptions.subscribe(JOB, early);

        // late: version 6 was published before the snapshot (read when the job was at 5) was queued.
        subscriptions.broadcast(event(6, JobStatus.GENERATING_STORY));
        subscriptions.sendSnapshot(lateSubscriber, job(5, JobStatus.PROCESSING_IMAGES));
        // early: the snapshot already shows version 6 when its event arrives.
        subscriptions.sendSnapshot(earlySubscriber, job(6, JobStatus.GENERATING_STORY));
        subscriptions.broadcast(event(6, JobStatus.GENERATING_STORY));
        subscriptions.broadcast(event(7, JobStatus.GENERATING_IMAGE));
        executor.runAll();

        assertThat(late.sent()).containsExactly(stamp(6), stamp(7));
        assertThat(early.sent()).containsExactly(stamp(6), stamp(7));
    }

    @Test
    void theSocketIsClosedNormallyAfterTheTerminalFrameAndNothingFollowsIt() throws Exception {
        JobSubscriptions subscriptions = relay(pool, SubscriberMailbox.Limits.DEFAULT);
        StubSession session = new StubSession();
        subscriptions.subscribe(JOB, session);

        subscriptions.broadcast(event(1, JobStatus.UPLOADING));
        subscriptions.broadcast(event(2, JobStatus.COMPLETED));
        subscriptions.broadcast(event(3, JobStatus.FAILED));

        assertThat(session.closed().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(CloseStatus.NORMAL);
        assertThat(session.sent()).containsExactly(stamp(1), stamp(2));
    }

    @Test
    void aSubscriberWhoseFramesPileUpPastTheBufferLimitIsClosedAndForgotten() throws Exception {
        int frameBytes = StatusFrame.of(1, false, json.writeValueAsString(json.readTree(event(1,
                JobStatus.GENERATING_STORY)).path("job"))).bytes();
        JobSubscriptions subscriptions = relay(pool, new SubscriberMailbox.Limits(Duration.ofSeconds(10),
                10 * frameBytes + frameBytes / 2));
        StuckSession stuck = new StuckSession();
        StubSession other = new StubSession();
        subscriptions.subscribe(JOB, stuck);
        subscriptions.subscribe(JOB, other);

        subscriptions.broadcast(event(1, JobStatus.GENERATING_STORY));
        stuck.awaitWriting();
        for (int version = 2; version <= 12; version++) {
            subscriptions.broadcast(event(version, JobStatus.GENERATING_STORY));
            // The other client keeps up, so only the stuck one's frames pile up.
            int sent = version;
            await().atMost(DEADLINE).until(() -> other.sent().size() == sent);
        }
        stuck.release();

        assertThat(stuck.closed().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(CloseStatus.SESSION_NOT_RELIABLE);
        assertThat(stuck.sent()).containsExactly(stamp(1));
        assertThat(other.isOpen()).isTrue();
    }

    @Test
    void aSubscriberWhoseWriteTakesLongerThanTheSendTimeLimitIsDroppedAtTheNextFrame() throws Exception {
        JobSubscriptions subscriptions = relay(pool, new SubscriberMailbox.Limits(Duration.ofSeconds(10), 1 << 20));
        StuckSession stuck = new StuckSession();
        subscriptions.subscribe(JOB, stuck);

        subscriptions.broadcast(event(1, JobStatus.GENERATING_STORY));
        stuck.awaitWriting();
        subscriptions.broadcast(event(2, JobStatus.GENERATING_IMAGE));
        clock.advance(Duration.ofSeconds(11));
        subscriptions.broadcast(event(3, JobStatus.UPLOADING));
        stuck.release();

        assertThat(stuck.closed().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(CloseStatus.SESSION_NOT_RELIABLE);
        assertThat(stuck.sent()).containsExactly(stamp(1));
    }

    @Test
    void aFailedWriteClosesThatSubscriberOnly() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        JobSubscriptions subscriptions = relay(executor, SubscriberMailbox.Limits.DEFAULT);
        StubSession broken = new StubSession() {
            @Override
            protected void write(String frame) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        StubSession other = new StubSession();
        subscriptions.subscribe(JOB, broken);
        subscriptions.subscribe(JOB, other);

        subscriptions.broadcast(event(1, JobStatus.GENERATING_STORY));
        subscriptions.broadcast(event(2, JobStatus.GENERATING_IMAGE));
        executor.runAll();

        assertThat(broken.closed()).isCompletedWithValue(CloseStatus.SERVER_ERROR);
        assertThat(other.sent()).containsExactly(stamp(1), stamp(2));
    }

    private JobSubscriptions relay(Executor executor, SubscriberMailbox.Limits limits) {
        return new JobSubscriptions(json, executor, limits, clock);
    }

    /** A published event in the worker's format; {@code updated_at} names the version so frames can be told apart. */
    private String event(long version, JobStatus status) {
        try {
            return json.writeValueAsString(Map.of("version", version, "job",
                    json.valueToTree(job(version, status).view())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Job job(long version, JobStatus status) {
        return new Job(JOB, status, null, null, null, "created", stamp(version), List.of(), null, null, version);
    }

    private static String stamp(long version) {
        return "v" + version;
    }

    /** Stands for the CPU a socket write costs; not a wait for another thread. */
    private static void spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** A client that stops reading: its first write blocks until the test lets it go. */
    private static final class StuckSession extends StubSession {
        private final CountDownLatch writing = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        protected void write(String frame) throws IOException {
            writing.countDown();
            try {
                if (!released.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        void awaitWriting() throws InterruptedException {
            assertThat(writing.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("write started").isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    /** Runs queued tasks only when told, so a test fixes the interleaving. */
    private static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        void advance(Duration duration) {
            millis.addAndGet(duration.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
