package routes;

import config.PanelOneProperties;
import java.util.function.BooleanSupplier;
import jobs.JobHeaders;
import jobs.JobStatus;
import jobs.RedisKeys;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Profile;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.apache.camel.model.TryDefinition;
import processors.CheckInputsProcessor;
import processors.CleanupInputsProcessor;
import processors.RegisterPhotosProcessor;
import processors.DeleteGeminiFilesProcessor;
import processors.DownloadInputsProcessor;
import processors.DropLocalPhotosProcessor;
import processors.GeminiImageProcessor;
import processors.GeminiStoryProcessor;
import processors.ReadDeliveryProcessor;
import processors.StartJobProcessor;
import processors.StoreOutputsProcessor;
import processors.UploadPhotosProcessor;
import redisstream.RedisStreamConstants;
import jobs.JobContext;
import worker.ModelAvailability;
import jobs.JobTakenOverException;

/**
 * The worker. {@code worker-queue}: jobs come from the Redis Stream through the {@code panel-workers} group, at most
 * {@code panel.worker.max-concurrent-jobs} at once, and only while Gemini has confirmed both models; a job delivered
 * more than {@code max-deliveries} times is dead-lettered, any other is run; its queue entry is acknowledged when
 * the exchange completes, and left pending (to run again) when it fails, e.g. with Redis unreachable, or when a
 * newer delivery took the job over. {@code worker-job}: one job, start to end (README, "How it works"): download
 * the photos and upload them to Gemini's Files API, write the story, draw the panel, store it. Whatever happens,
 * the job ends COMPLETED or FAILED with a reason, and its inputs
 * (in storage, in the temp folder and on Gemini) are deleted.
 */
@Component
@Profile("worker")
public class WorkerRoutes extends RouteBuilder {
    public static final String PROCESS_JOB = "direct:process-job";

    /** Registry name of the gate the queue endpoint waits on: both Gemini models confirmed. */
    static final String MODELS_READY = "geminiModelsReady";

    private final ReadDeliveryProcessor readDelivery;
    private final PanelOneProperties.Worker settings;
    private final ModelAvailability models;

    private final StartJobProcessor startJob;
    private final DownloadInputsProcessor downloadInputs;
    private final UploadPhotosProcessor uploadPhotos;
    private final DropLocalPhotosProcessor dropLocalPhotos;
    private final GeminiStoryProcessor geminiStory;
    private final GeminiImageProcessor geminiImage;
    private final StoreOutputsProcessor storeOutputs;
    private final CleanupInputsProcessor cleanupInputs;
    private final DeleteGeminiFilesProcessor deleteGeminiFiles;
    private final PanelOneProperties.Gemini.PhotoSource photoSource;
    private final CheckInputsProcessor checkInputs;
    private final RegisterPhotosProcessor registerPhotos;

    public WorkerRoutes(PanelOneProperties properties, ModelAvailability models, ReadDeliveryProcessor readDelivery,
            StartJobProcessor startJob, DownloadInputsProcessor downloadInputs,
            UploadPhotosProcessor uploadPhotos, DropLocalPhotosProcessor dropLocalPhotos, GeminiStoryProcessor geminiStory, GeminiImageProcessor geminiImage,
            StoreOutputsProcessor storeOutputs, CleanupInputsProcessor cleanupInputs,
            DeleteGeminiFilesProcessor deleteGeminiFiles, CheckInputsProcessor checkInputs,
            RegisterPhotosProcessor registerPhotos) {
        this.settings = properties.worker();
        this.photoSource = properties.gemini().photos();
        this.checkInputs = checkInputs;
        this.registerPhotos = registerPhotos;
        this.models = models;
        this.readDelivery = readDelivery;
        this.startJob = startJob;
        this.downloadInputs = downloadInputs;
        this.uploadPhotos = uploadPhotos;
        this.dropLocalPhotos = dropLocalPhotos;
        this.deleteGeminiFiles = deleteGeminiFiles;
        this.geminiStory = geminiStory;
        this.geminiImage = geminiImage;
        this.storeOutputs = storeOutputs;
        this.cleanupInputs = cleanupInputs;
    }

    /** The queue as a Camel endpoint: how many jobs run at once and when a silent one is taken over. */
    String queueUri() {
        return "redis-stream:" + RedisKeys.QUEUE
                + "?group=" + RedisKeys.QUEUE_GROUP
                // No job is taken before Gemini confirmed both models, nor while one is found gone.
                + "&readyWhen=#" + MODELS_READY
                + "&maxInFlight=" + settings.maxConcurrentJobs()
                + "&reclaimAfter=" + settings.reclaimAfter().toMillis()
                + "&heartbeatInterval=" + settings.heartbeat().toMillis()
                + "&handBackAfter=" + settings.handBackAfter().toMillis()
                // The stream holds open jobs only, so its length is the queue depth.
                + "&deleteOnAck=true";
    }

    @Override
    public void configure() {
        getContext().getRegistry().bind(MODELS_READY, BooleanSupplier.class, (BooleanSupplier) models::isReady);
        from(queueUri())
                .routeId("worker-queue")
                .process(readDelivery).id("read-delivery")
                .choice()
                    .when(body().isNull())
                        .log(LoggingLevel.ERROR, "Dropped an unreadable queue entry")
                    .when(header(RedisStreamConstants.DELIVERY_COUNT).isGreaterThan(settings.maxDeliveries()))
                        .to(ErrorRoutes.DEAD_LETTER).id("to-dead-letter")
                    .otherwise()
                        .to(PROCESS_JOB).id("process-job")
                .end();

        TryDefinition job = from(PROCESS_JOB)
                .routeId("worker-job")
                .process(startJob).id("start-job")
                .choice()
                    .when(JobContext::isOwned)
                        .doTry()
                            .setHeader(JobHeaders.STATUS, constant(JobStatus.PROCESSING_IMAGES.name()))
                            .to(StatusRoutes.PUBLISH_STATUS);
        handPhotosToGemini(job)
                            .setHeader(JobHeaders.STATUS, constant(JobStatus.GENERATING_STORY.name()))
                            .to(StatusRoutes.PUBLISH_STATUS)
                            .process(geminiStory).id("gemini-story")
                            .setHeader(JobHeaders.STATUS, constant(JobStatus.GENERATING_IMAGE.name()))
                            .to(StatusRoutes.PUBLISH_STATUS)
                            .process(geminiImage).id("gemini-image")
                            .setHeader(JobHeaders.STATUS, constant(JobStatus.UPLOADING.name()))
                            .to(StatusRoutes.PUBLISH_STATUS)
                            .process(storeOutputs).id("store-outputs")
                            .setHeader(JobHeaders.STATUS, constant(JobStatus.COMPLETED.name()))
                            .to(StatusRoutes.PUBLISH_STATUS)
                        .doCatch(JobTakenOverException.class)
                            .to(ErrorRoutes.JOB_TAKEN_OVER)
                        .doCatch(DataAccessException.class)
                            // Redis unreachable: not the job's fault. Leave the delivery pending to run again.
                            .process(WorkerRoutes::rethrow).id("redis-unavailable")
                        .doCatch(Exception.class)
                            .to(ErrorRoutes.JOB_FAILED)
                        .doFinally()
                            .process(deleteGeminiFiles).id("delete-gemini-files")
                            .process(cleanupInputs).id("cleanup-inputs")
                            .enrich(InputCleanupRoutes.DELETE_INPUTS, AggregationStrategies.useOriginal())
                        .end()
                    .endChoice()
                    .when(JobContext::isTakenOver)
                        .to(ErrorRoutes.JOB_TAKEN_OVER)
                    .otherwise()
                        .filter(JobContext::isFoundEnded)
                            .to(StatusRoutes.REPUBLISH_STATUS).id("republish-end")
                        .end()
                        .process(cleanupInputs).id("cleanup-ended-job")
                        .enrich(InputCleanupRoutes.DELETE_INPUTS, AggregationStrategies.useOriginal())
                .end();
    }

    /**
     * PROCESSING_IMAGES: Gemini either reads the photos where they are in storage (register: the worker only checks
     * they are there) or gets them from the worker (upload: downloaded, uploaded, dropped from the temp folder).
     */
    private TryDefinition handPhotosToGemini(TryDefinition job) {
        if (photoSource == PanelOneProperties.Gemini.PhotoSource.REGISTER) {
            return job
                    .process(checkInputs).id("check-inputs")
                    .process(registerPhotos).id("register-photos");
        }
        return job
                .process(downloadInputs).id("download-inputs")
                .process(uploadPhotos).id("upload-photos")
                .process(dropLocalPhotos).id("drop-local-photos");
    }

    private static void rethrow(Exchange exchange) throws Exception {
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}
