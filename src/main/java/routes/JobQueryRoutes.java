package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import processors.ApiErrorProcessor;
import processors.GetJobProcessor;
import processors.IdentifyClientProcessor;
import processors.ListJobsProcessor;

/** GET /job/{job_id} (the id is the capability) and GET /jobs (the caller's own history): docs/API.md. */
@Component
@Profile("api")
public class JobQueryRoutes extends RouteBuilder {
    private final GetJobProcessor getJob;
    private final ListJobsProcessor listJobs;
    private final ApiErrorProcessor apiError;
    private final IdentifyClientProcessor identifyClient;

    public JobQueryRoutes(GetJobProcessor getJob, ListJobsProcessor listJobs, ApiErrorProcessor apiError,
            IdentifyClientProcessor identifyClient) {
        this.identifyClient = identifyClient;
        this.getJob = getJob;
        this.listJobs = listJobs;
        this.apiError = apiError;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(apiError);

        from("platform-http:/job/{job_id}?httpMethodRestrict=GET")
                .routeId("job-get")
                .process(getJob).id("get-job");

        from("platform-http:/jobs?httpMethodRestrict=GET")
                .routeId("jobs-list")
                .process(identifyClient).id("identify-history-client")
                .process(listJobs).id("list-jobs");
    }
}
