package web;

import config.PanelOneProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jobs.JobStore;
import jobs.RedisKeys;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Makes sure every WebSocket subscriber gets its job's end state even when a status event is lost: each open
 * socket's job is re-read from Redis every {@code panel.jobs.subscriber-refresh}, and at once whenever the status
 * listener (re)subscribes to the events channel, as it does after Redis comes back.
 */
@Component
@Profile("api")
public class SubscriberResync implements MessageListener, SubscriptionListener, SmartLifecycle {
    private final JobSubscriptions subscriptions;
    private final JobStore jobs;
    private final RedisMessageListenerContainer listener;
    private final long refreshMillis;
    private ScheduledExecutorService timer;

    public SubscriberResync(JobSubscriptions subscriptions, JobStore jobs,
            RedisMessageListenerContainer statusListenerContainer, PanelOneProperties properties) {
        this.subscriptions = subscriptions;
        this.jobs = jobs;
        this.listener = statusListenerContainer;
        this.refreshMillis = properties.jobs().subscriberRefresh().toMillis();
    }

    /** Events themselves are relayed by the status-fanout route; this listener only watches the subscription. */
    @Override
    public void onMessage(Message message, byte[] pattern) {
    }

    @Override
    public void onChannelSubscribed(byte[] channel, long count) {
        // Events published while the listener was away are gone: send what Redis holds now. Not on the listener's
        // own thread, which relays the events.
        if (timer != null) {
            timer.execute(this::resync);
        }
    }

    void resync() {
        subscriptions.resync(jobs::find);
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "subscriber-resync");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::resync, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        listener.addMessageListener(this, ChannelTopic.of(RedisKeys.EVENTS_CHANNEL));
    }

    @Override
    public void stop() {
        listener.removeMessageListener(this);
        timer.shutdownNow();
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
