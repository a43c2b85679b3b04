package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import processors.GetJobProcessor;
import processors.IdentifyClientProcessor;
import processors.ListJobsProcessor;

/** GET /job/{job_id} (the id is the capability) and GET /jobs (the caller's own history): docs/API.md. */
@Component
@Profile("api")
public class JobQueryRoutes extends RouteBuilder {
    private final GetJobProcessor getJob;
    private final ListJobsProcessor listJobs;
    private final IdentifyClientProcessor identifyClient;

    public JobQueryRoutes(GetJobProcessor getJob, ListJobsProcessor listJobs,
            IdentifyClientProcessor identifyClient) {
        this.identifyClient = identifyClient;
        this.getJob = getJob;
        this.listJobs = listJobs;
    }

    @Override
    public void configure() {
        // Failures: ApiErrorPolicy (401/400 refusals, 503 while Redis is down, 500 otherwise).
        from("platform-http:/job/{job_id}?httpMethodRestrict=GET")
                .routeId("job-get")
                .routeConfigurationId(ApiErrorPolicy.ID)
                .process(getJob).id("get-job");

        from("platform-http:/jobs?httpMethodRestrict=GET")
                .routeId("jobs-list")
                .routeConfigurationId(ApiErrorPolicy.ID)
                .process(identifyClient).id("identify-history-client")
                .process(listJobs).id("list-jobs");
    }
}
