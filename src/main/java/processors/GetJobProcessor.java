package processors;

import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import web.HttpReplies;

/** GET /job/{job_id}: the job in its public shape, or 404 for an unknown (or malformed) id. */
@Component
public class GetJobProcessor implements Processor {
    private final JobStore jobs;
    private final HttpReplies replies;

    public GetJobProcessor(JobStore jobs, HttpReplies replies) {
        this.jobs = jobs;
        this.replies = replies;
    }

    @Override
    public void process(Exchange exchange) {
        String jobId = exchange.getMessage().getHeader("job_id", String.class);
        jobs.find(jobId).ifPresentOrElse(
                job -> replies.json(exchange, 200, job.view()),
                () -> replies.detail(exchange, 404, "Job not found"));
    }
}
