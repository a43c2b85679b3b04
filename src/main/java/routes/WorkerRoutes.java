package routes;

import jobs.JobHeaders;
import jobs.JobStatus;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Profile;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import processors.CleanupInputsProcessor;
import processors.DeleteGeminiFilesProcessor;
import processors.DownloadInputsProcessor;
import processors.GeminiImageProcessor;
import processors.GeminiStoryProcessor;
import processors.StartJobProcessor;
import processors.StoreOutputsProcessor;
import processors.UploadPhotosProcessor;
import worker.JobContext;
import worker.JobTakenOverException;

/**
 * One job, start to end (README, "How it works"): download the photos and upload them to Gemini's Files API, write the story,
 * draw the panel, store it. Whatever happens, the job ends COMPLETED or FAILED with a reason, and its inputs
 * (in storage, in the temp folder and on Gemini) are deleted.
 */
@Component
@Profile("worker")
public class WorkerRoutes extends RouteBuilder {
    public static final String PROCESS_JOB = "direct:process-job";

    private final StartJobProcessor startJob;
    private final DownloadInputsProcessor downloadInputs;
    private final UploadPhotosProcessor uploadPhotos;
    private final GeminiStoryProcessor geminiStory;
    private final GeminiImageProcessor geminiImage;
    private final StoreOutputsProcessor storeOutputs;
    private final CleanupInputsProcessor cleanupInputs;
    private final DeleteGeminiFilesProcessor deleteGeminiFiles;

    public WorkerRoutes(StartJobProcessor startJob, DownloadInputsProcessor downloadInputs,
            UploadPhotosProcessor uploadPhotos, GeminiStoryProcessor geminiStory, GeminiImageProcessor geminiImage,
            StoreOutputsProcessor storeOutputs, CleanupInputsProcessor cleanupInputs,
            DeleteGeminiFilesProcessor deleteGeminiFiles) {
        this.startJob = startJob;
        this.downloadInputs = downloadInputs;
        this.uploadPhotos = uploadPhotos;
        this.deleteGeminiFiles = deleteGeminiFiles;
        this.geminiStory = geminiStory;
        this.geminiImage = geminiImage;
        this.storeOutputs = storeOutputs;
        this.cleanupInputs = cleanupInputs;
    }

    @Override
    public void configure() {
        from(PROCESS_JOB)
                .routeId("worker-job")
                .process(startJob).id("start-job")
                .choice()
                    .when(JobContext::isOwned)
                        .doTry()
                            .setHeader(JobHeaders.STATUS, constant(JobStatus.PROCESSING_IMAGES.name()))
                            .to(StatusRoutes.PUBLISH_STATUS)
                            .process(downloadInputs).id("download-inputs")
                            .process(uploadPhotos).id("upload-photos")
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
                    .otherwise()
                        .process(cleanupInputs).id("cleanup-ended-job")
                        .enrich(InputCleanupRoutes.DELETE_INPUTS, AggregationStrategies.useOriginal())
                .end();
    }

    private static void rethrow(Exchange exchange) throws Exception {
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}
