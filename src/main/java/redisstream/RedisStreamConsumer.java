package redisstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads a Redis Stream through a consumer group and runs each entry as an exchange on its own thread, at most
 * {@code maxInFlight} at a time.
 * <ul>
 * <li>Only as many entries are read (XREADGROUP) or claimed (XAUTOCLAIM) as there are free slots, so an entry is
 * never held by a consumer that cannot start it.</li>
 * <li>Entries in flight are heart-beaten; an entry whose consumer went silent for {@code reclaimAfter} is claimed
 * by another. XAUTOCLAIM walks the whole pending list with a cursor and reports entries deleted meanwhile.</li>
 * <li>An entry is acknowledged when its exchange completes, unless the exchange failed or the route set
 * {@link RedisStreamConstants#KEEP_PENDING}: then it stays pending and is delivered again.</li>
 * <li>When the Camel context stops (SIGTERM), the consumer takes nothing more, gives the entries in flight
 * {@code handBackAfter} to finish, and hands the rest back (without counting a delivery), so another consumer
 * continues them right away. Camel's shutdown strategy suspends the consumer first and waits for the exchanges in
 * flight, so the hand-back runs on a timer from the suspension; stopping hands back whatever is left at once.</li>
 * </ul>
 * Suspending only the route stops reading; entries in flight carry on and keep their heartbeat.
 */
public class RedisStreamConsumer extends DefaultConsumer implements Suspendable {
    private static final Logger log = LoggerFactory.getLogger(RedisStreamConsumer.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final String CURSOR_START = "0-0";
    /** XAUTOCLAIM calls in one reclaim pass, so a long pending list of live entries cannot stall reading. */
    private static final int MAX_CLAIM_CALLS = 20;

    private final RedisStreamEndpoint endpoint;
    private final StreamCommands commands;
    private final String name;
    private final Semaphore slots;
    private final Map<String, StreamDelivery> inFlight = new ConcurrentHashMap<>();
    private final Object finished = new Object();
    private ExecutorService workers;
    private ScheduledExecutorService heartbeats;
    private Thread poller;
    private ScheduledFuture<?> handBackTimer;
    private volatile boolean polling;
    private String cursor = CURSOR_START;

    RedisStreamConsumer(RedisStreamEndpoint endpoint, Processor processor, StreamCommands commands, String name) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.commands = commands;
        this.name = name;
        this.slots = new Semaphore(endpoint.getMaxInFlight());
    }

    /** This consumer's name in the group. */
    public String name() {
        return name;
    }

    /** Entries being worked on now. */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ExecutorServiceManager executors = endpoint.getCamelContext().getExecutorServiceManager();
        workers = executors.newCachedThreadPool(this, "RedisStream[" + endpoint.getStream() + "]");
        // A platform thread of its own, not one of Camel's: where those are virtual threads (JDK 21+), they share a
        // few carriers with the entries' work, and work that computes or is pinned keeps its carrier; the heartbeat
        // would then fall silent with the work, and a live consumer's entries would be reclaimed as if it had died.
        heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "redis-stream-heartbeat-" + endpoint.getStream());
            thread.setDaemon(true);
            return thread;
        });
        long beat = endpoint.getHeartbeatInterval();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        startPolling();
        log.info("Consumer {} consuming {} in group {}, {} entries at a time", name, endpoint.getStream(),
                endpoint.getGroup(), endpoint.getMaxInFlight());
    }

    @Override
    protected void doSuspend() throws Exception {
        stopPolling();
        if (endpoint.getCamelContext().isStopping()) {
            handBackTimer = heartbeats.schedule(this::handBackRunning, endpoint.getHandBackAfter(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doResume() throws Exception {
        startPolling();
    }

    @Override
    protected void doStop() throws Exception {
        stopPolling();
        if (handBackTimer == null) {
            // Stopped without a suspension first: give the entries in flight their time now.
            awaitInFlight(endpoint.getHandBackAfter());
        }
        handBackRunning();
        ExecutorServiceManager executors = endpoint.getCamelContext().getExecutorServiceManager();
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (workers != null) {
            // Not shutdownNow: an exchange still running is not interrupted, its entry is already handed back.
            executors.shutdown(workers);
        }
        super.doStop();
    }

    private void startPolling() {
        polling = true;
        poller = new Thread(this::poll, "redis-stream-" + endpoint.getStream());
        poller.setDaemon(true);
        poller.start();
    }

    /** Not interrupted: a claim cut short could leave entries claimed by nobody who runs them. */
    private void stopPolling() throws InterruptedException {
        polling = false;
        if (poller != null) {
            poller.join(endpoint.getBlock() + RETRY_PAUSE.toMillis() + 1000);
        }
    }

    private void poll() {
        boolean groupReady = false;
        long nextReclaim = 0;
        while (polling && isRunAllowed()) {
            try {
                if (!groupReady) {
                    commands.ensureGroup();
                    groupReady = true;
                }
                if (!endpoint.getReadyWhen().getAsBoolean()) {
                    // Not ready (a gate such as a readiness check): take nothing, look again shortly.
                    pause();
                    continue;
                }
                if (slots.availablePermits() == 0) {
                    awaitFreeSlot();
                    continue;
                }
                if (System.currentTimeMillis() >= nextReclaim) {
                    reclaim();
                    nextReclaim = System.currentTimeMillis() + endpoint.getReclaimInterval();
                }
                int free = slots.availablePermits();
                if (free > 0) {
                    commands.read(free, endpoint.blockDuration()).forEach(this::dispatch);
                }
            } catch (RuntimeException e) {
                if (!polling) {
                    return;
                }
                // Redis restarted without its data loses the group too: recreate it on the next turn.
                groupReady = groupReady && !String.valueOf(e.getMessage()).contains("NOGROUP");
                log.warn("Stream {} unavailable ({}); retrying in {} s", endpoint.getStream(), e.getMessage(),
                        RETRY_PAUSE.toSeconds());
                pause();
            }
        }
    }

    private void reclaim() {
        for (int call = 0; call < MAX_CLAIM_CALLS && slots.availablePermits() > 0; call++) {
            StreamCommands.Claimed claimed = commands.autoclaim(endpoint.reclaimAfterDuration(), cursor,
                    slots.availablePermits());
            cursor = claimed.cursor();
            claimed.deleted().forEach(id -> log.warn("Pending entry {} was deleted from {}; dropped", id,
                    endpoint.getStream()));
            for (StreamEntry entry : claimed.entries()) {
                log.info("Claimed idle entry {} (delivery {}, {} counted)", entry.id(), entry.deliveryNumber(),
                        entry.deliveryCount());
                dispatch(entry);
            }
            if (CURSOR_START.equals(cursor)) {
                return;
            }
        }
    }

    private void dispatch(StreamEntry entry) {
        if (!polling) {
            // Read just as the consumer stopped: give it straight back rather than leave it waiting for reclaimAfter.
            handBack(List.of(entry.id()));
            return;
        }
        // Only this thread takes slots and it read no more entries than were free, so this never waits.
        slots.acquireUninterruptibly();
        StreamDelivery delivery = new StreamDelivery(entry.id(), entry.deliveryNumber());
        inFlight.put(entry.id(), delivery);
        Exchange exchange = createExchange(false);
        Message message = exchange.getMessage();
        message.setBody(entry.fields());
        message.setHeader(RedisStreamConstants.STREAM, endpoint.getStream());
        message.setHeader(RedisStreamConstants.MESSAGE_ID, entry.id());
        message.setHeader(RedisStreamConstants.DELIVERY_COUNT, entry.deliveryCount());
        message.setHeader(RedisStreamConstants.DELIVERY_NUMBER, entry.deliveryNumber());
        exchange.setProperty(RedisStreamConstants.DELIVERY, delivery);
        try {
            workers.execute(() -> run(exchange, delivery));
        } catch (RuntimeException e) {
            done(delivery);
            throw e;
        }
    }

    private void run(Exchange exchange, StreamDelivery delivery) {
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Entry " + delivery.messageId()
                        + " left pending: its exchange failed", exchange, exchange.getException());
            } else if (exchange.getProperty(RedisStreamConstants.KEEP_PENDING, false, Boolean.class)) {
                log.info("Entry {} left pending, as the route asked", delivery.messageId());
            } else if (delivery.superseded()) {
                // Acknowledging would drop the pending entry of the consumer that holds it now.
                log.info("Entry {} not acknowledged: it was handed back or taken over", delivery.messageId());
            } else {
                commands.acknowledge(delivery.messageId(), endpoint.isDeleteOnAck());
            }
        } catch (RuntimeException e) {
            log.warn("Could not acknowledge entry {}; it will be delivered again", delivery.messageId(), e);
        } finally {
            done(delivery);
            MDC.clear();
        }
    }

    private void done(StreamDelivery delivery) {
        inFlight.remove(delivery.messageId());
        slots.release();
        synchronized (finished) {
            finished.notifyAll();
        }
    }

    private void awaitFreeSlot() {
        synchronized (finished) {
            if (slots.availablePermits() == 0 && polling) {
                try {
                    finished.wait(endpoint.getBlock());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    polling = false;
                }
            }
        }
    }

    private void heartbeat() {
        List<String> held = new ArrayList<>();
        inFlight.forEach((id, delivery) -> {
            if (!delivery.superseded()) {
                held.add(id);
            }
        });
        try {
            for (String id : commands.heartbeat(held)) {
                StreamDelivery delivery = inFlight.get(id);
                if (delivery != null) {
                    delivery.markLost();
                    log.warn("Entry {} is now held by another consumer; this delivery is superseded", id);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Heartbeat on {} failed: {}", endpoint.getStream(), e.getMessage());
        }
    }

    private void awaitInFlight(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (finished) {
            long left;
            while (!inFlight.isEmpty() && (left = deadline - System.currentTimeMillis()) > 0) {
                finished.wait(left);
            }
        }
    }

    /** Hands back the entries still running that were not handed back already. */
    private synchronized void handBackRunning() {
        List<String> running = new ArrayList<>();
        inFlight.forEach((id, delivery) -> {
            if (!delivery.superseded()) {
                running.add(id);
            }
        });
        if (!running.isEmpty()) {
            handBack(running);
        }
    }

    private void handBack(List<String> ids) {
        try {
            List<String> given = commands.release(ids);
            for (String id : given) {
                StreamDelivery delivery = inFlight.get(id);
                if (delivery != null) {
                    delivery.markHandedBack();
                }
            }
            log.info("Handed back {} entries of {} for another consumer to continue now: {}", given.size(),
                    endpoint.getStream(), given);
        } catch (RuntimeException e) {
            log.warn("Could not hand back entries {}; they will be reclaimed after {} ms", ids,
                    endpoint.getReclaimAfter(), e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            polling = false;
        }
    }
}
