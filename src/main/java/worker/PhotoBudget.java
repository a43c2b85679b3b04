package worker;

import config.PanelOneProperties;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Bytes of photos this worker may hold on disk at once ({@code panel.worker.max-photo-bytes}). On Cloud Run the
 * temp folder is memory, so the number of jobs in flight alone does not bound it: a job reserves its photos' size
 * before downloading them and gives it back once Gemini has them. Counted in KiB so a semaphore can hold it.
 */
@Component
@Profile("worker")
public class PhotoBudget {
    private final int capacityKib;
    private final Semaphore kib;

    public PhotoBudget(PanelOneProperties properties) {
        this.capacityKib = (int) Math.min(Integer.MAX_VALUE, properties.worker().maxPhotoBytes().toKilobytes());
        this.kib = new Semaphore(capacityKib, true);
    }

    /**
     * Reserves room for {@code bytes} (a job larger than the whole budget reserves all of it), waiting up to
     * {@code wait}; answers the KiB reserved, 0 when the wait ran out.
     */
    public int reserve(long bytes, Duration wait) throws InterruptedException {
        int wanted = (int) Math.min(capacityKib, Math.max(1, (bytes + 1023) / 1024));
        return kib.tryAcquire(wanted, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS) ? wanted : 0;
    }

    public void release(int reservedKib) {
        if (reservedKib > 0) {
            kib.release(reservedKib);
        }
    }

    /** KiB free now. */
    public int available() {
        return kib.availablePermits();
    }
}
