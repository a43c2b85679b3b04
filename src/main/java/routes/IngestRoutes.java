package routes;

import ingest.IngestPaths;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import processors.AcceptedReplyProcessor;
import processors.AdmitJobProcessor;
import processors.CheckLimitsProcessor;
import processors.IdentifyClientProcessor;
import processors.ReleaseAdmissionProcessor;
import processors.AssignJobIdProcessor;
import processors.CreateJobProcessor;
import processors.FindRepeatedRequestProcessor;
import processors.ReadUploadProcessor;
import processors.StoreInputProcessor;

/**
 * POST /generate: name the client and check its limits, check every photo, count the job, store the photos under
 * inputs/{job_id}/, record and enqueue the job, answer 202 (docs/API.md).
 */
@Component
@Profile("api")
public class IngestRoutes extends RouteBuilder {
    public static final String PATH = IngestPaths.GENERATE;
    static final String STORE_INPUTS = "direct:store-inputs";

    private final IdentifyClientProcessor identifyClient;
    private final CheckLimitsProcessor checkLimits;
    private final AdmitJobProcessor admitJob;
    private final ReleaseAdmissionProcessor releaseAdmission;
    private final ReadUploadProcessor readUpload;
    private final FindRepeatedRequestProcessor findRepeatedRequest;
    private final AssignJobIdProcessor assignJobId;
    private final StoreInputProcessor storeInput;
    private final CreateJobProcessor createJob;
    private final AcceptedReplyProcessor acceptedReply;

    public IngestRoutes(IdentifyClientProcessor identifyClient, CheckLimitsProcessor checkLimits,
            AdmitJobProcessor admitJob, ReleaseAdmissionProcessor releaseAdmission, ReadUploadProcessor readUpload, FindRepeatedRequestProcessor findRepeatedRequest,
            AssignJobIdProcessor assignJobId, StoreInputProcessor storeInput,
            CreateJobProcessor createJob, AcceptedReplyProcessor acceptedReply) {
        this.identifyClient = identifyClient;
        this.checkLimits = checkLimits;
        this.admitJob = admitJob;
        this.releaseAdmission = releaseAdmission;
        this.readUpload = readUpload;
        this.findRepeatedRequest = findRepeatedRequest;
        this.assignJobId = assignJobId;
        this.storeInput = storeInput;
        this.createJob = createJob;
        this.acceptedReply = acceptedReply;
    }

    @Override
    public void configure() {
        // Failures: ApiErrorPolicy (status and detail, limit given back, stored photos deleted).
        from("platform-http:" + PATH + "?httpMethodRestrict=POST")
                .routeId("ingest-generate")
                .routeConfigurationId(ApiErrorPolicy.ID)
                // Who asks, and may they start a job at all: decided on the headers, before the body is read.
                .process(identifyClient).id("identify-client")
                .process(checkLimits).id("check-limits")
                // Without an Idempotency-Key, each photo's upload to storage starts as soon as its part is checked.
                .process(readUpload).id("read-upload")
                .process(findRepeatedRequest).id("find-repeated-request")
                .choice()
                    .when(exchangeProperty(FindRepeatedRequestProcessor.REPEAT).isEqualTo(false))
                        .process(assignJobId).id("assign-job-id")
                        .process(admitJob).id("admit-job")
                        .to(STORE_INPUTS).id("to-store-inputs")
                        .process(createJob).id("create-job")
                        // Only when a concurrent request with the same Idempotency-Key won: drop our copies.
                        .enrich(InputCleanupRoutes.DELETE_INPUTS, AggregationStrategies.useOriginal())
                            .id("discard-duplicate-inputs")
                        .process(releaseAdmission).id("release-duplicate-admission")
                .end()
                .process(acceptedReply).id("accepted-reply");

        from(STORE_INPUTS)
                .routeId("store-inputs")
                // No handler here: a failed upload must fail the request once, through the caller's ApiErrorPolicy.
                .errorHandler(noErrorHandler())
                // Starts the uploads not started while reading (on the input-upload pool) and waits for them all:
                // nothing is queued before every photo is stored.
                .process(storeInput).id("store-input");
    }
}
