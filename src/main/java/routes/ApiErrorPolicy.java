package routes;

import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import processors.RejectRequestProcessor;
import processors.ReleaseAdmissionProcessor;
import processors.SettleInputUploadsProcessor;

/**
 * How every API request fails, in one place: each HTTP route applies it with
 * {@code routeConfigurationId(ApiErrorPolicy.ID)}. A failure gives back the limit a refused upload counted, is
 * answered with its status and a {@code detail} (docs/API.md), and leaves nothing stored. Giving back and deleting
 * are no-ops for requests that counted and stored nothing, such as the read-only routes.
 * A sub-route whose failure must fail the request (store-inputs) runs without an error handler of its own, so the
 * failure reaches this policy once, on the request's thread; delete-inputs logs its own failures and never fails
 * the caller. Photos of a request without an Idempotency-Key are stored while it is read, so a refusal settles
 * those uploads before deleting inputs/{job_id}/.
 */
@Component
@Profile("api")
public class ApiErrorPolicy extends RouteConfigurationBuilder {
    public static final String ID = "api-errors";

    private final ReleaseAdmissionProcessor releaseAdmission;
    private final RejectRequestProcessor rejectRequest;
    private final SettleInputUploadsProcessor settleInputUploads;

    public ApiErrorPolicy(ReleaseAdmissionProcessor releaseAdmission, RejectRequestProcessor rejectRequest,
            SettleInputUploadsProcessor settleInputUploads) {
        this.releaseAdmission = releaseAdmission;
        this.rejectRequest = rejectRequest;
        this.settleInputUploads = settleInputUploads;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .process(releaseAdmission)
                    .process(rejectRequest)
                    // Photo uploads still under way finish (or never begin) before their prefix is deleted.
                    .process(settleInputUploads)
                    .enrich(InputCleanupRoutes.DELETE_INPUTS, AggregationStrategies.useOriginal());
    }
}
