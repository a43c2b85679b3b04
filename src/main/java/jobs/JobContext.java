package jobs;

import clients.GeminiFile;
import clients.GeminiModels;
import clients.InputImage;
import clients.StoredPhoto;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;

/** Everything one run of a job accumulates as it walks the worker route. */
public final class JobContext {
    private final JobDelivery delivery;
    private final Instant started;
    private final Instant deadline;
    private Path tempDir;
    private List<InputImage> images = List.of();
    private List<StoredPhoto> storedPhotos = List.of();
    /** Added to as each upload finishes, from the upload threads, so a failed job still deletes what went up. */
    private final List<GeminiFile> geminiFiles = new CopyOnWriteArrayList<>();
    private GeminiModels models;
    private String story;
    private byte[] panel;
    private String imageUrl;
    private boolean owned;
    private boolean mayCleanUp;
    private boolean ended;
    private boolean acknowledge = true;
    private boolean foundEnded;
    private int photoKib;
    private BooleanSupplier superseded = () -> false;
    private JobStatus stage;
    private Instant stageStarted;

    public JobContext(JobDelivery delivery, Instant started, Duration timeout) {
        this.delivery = delivery;
        this.started = started;
        this.deadline = started.plus(timeout);
    }

    /** Route predicate: does this exchange's delivery own its job? */
    public static boolean isOwned(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        return job != null && job.owned();
    }

    /** Route predicate: did this delivery find its job ended already (its last worker died before acknowledging)? */
    public static boolean isFoundEnded(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        return job != null && job.foundEnded;
    }

    /** Called when the delivery finds its job COMPLETED or FAILED already. */
    public void foundEnded() {
        this.foundEnded = true;
        this.mayCleanUp = true;
    }

    /** Route predicate: did a newer delivery take this one's job? Then this delivery leaves the entry pending. */
    public static boolean isTakenOver(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        return job != null && !job.acknowledge();
    }

    /** Records that the job entered {@code next}; returns how long the previous stage took, if there was one. */
    public Duration enterStage(JobStatus next, Instant now) {
        Duration previous = stage == null ? null : Duration.between(stageStarted, now);
        stage = next;
        stageStarted = now;
        return previous;
    }

    public JobStatus stage() { return stage; }

    /** KiB of the worker's photo budget this job holds; given back once, by whoever gets it first. */
    public synchronized int takePhotoReservation() {
        int held = photoKib;
        photoKib = 0;
        return held;
    }
    public synchronized void photoReservation(int kib) { this.photoKib = kib; }

    public JobDelivery delivery() { return delivery; }
    public String jobId() { return delivery.jobId(); }
    public String owner() { return delivery.owner(); }
    public Instant started() { return started; }
    public Instant deadline() { return deadline; }
    public Path tempDir() { return tempDir; }
    public void tempDir(Path tempDir) { this.tempDir = tempDir; }
    public List<InputImage> images() { return images; }
    public void images(List<InputImage> images) { this.images = List.copyOf(images); }
    /** The photos as found in storage, when Gemini reads them there instead of receiving them. */
    public List<StoredPhoto> storedPhotos() { return storedPhotos; }
    public void storedPhotos(List<StoredPhoto> photos) { this.storedPhotos = List.copyOf(photos); }
    public List<GeminiFile> geminiFiles() { return List.copyOf(geminiFiles); }
    public void uploaded(GeminiFile file) { geminiFiles.add(file); }
    /** The models this job runs with, pinned in its record when it first started. */
    public GeminiModels models() { return models; }
    public void models(GeminiModels models) { this.models = models; }
    public String story() { return story; }
    public void story(String story) { this.story = story; }
    public byte[] panel() { return panel; }
    public void panel(byte[] panel) { this.panel = panel; }
    public String imageUrl() { return imageUrl; }
    public void imageUrl(String imageUrl) { this.imageUrl = imageUrl; }
    /** True once this delivery owns the job: only then may it write statuses or delete inputs. */
    public boolean owned() { return owned; }
    public void owned(boolean owned) { this.owned = owned; }
    /**
     * Inputs may be deleted once the job has ended: recorded COMPLETED or FAILED by this delivery, or found ended
     * (or gone) by a repeated one. An owner that could not record an end state (Redis went away) keeps them: the
     * delivery stays pending and runs again, and needs its photos then.
     */
    public boolean mayCleanUp() { return mayCleanUp || (owned && ended); }
    public void mayCleanUp(boolean mayCleanUp) { this.mayCleanUp = mayCleanUp; }
    /** Called once this delivery recorded COMPLETED or FAILED. */
    public void ended() { this.ended = true; }
    /** False when a newer delivery took the job over: acknowledging would drop that delivery's safety net. */
    public boolean acknowledge() { return acknowledge; }
    /**
     * True once the queue handed this delivery back (the worker is stopping) or saw another worker take it: from
     * then on this delivery writes nothing more, whoever claims the job next.
     */
    public boolean superseded() { return superseded.getAsBoolean(); }
    public void superseded(BooleanSupplier superseded) { this.superseded = superseded; }
    public void takenOver() {
        this.owned = false;
        this.mayCleanUp = false;
        this.acknowledge = false;
    }
}
