package processors;

import ingest.Upload;
import java.util.LinkedHashMap;
import java.util.Map;
import jobs.JobHeaders;
import jobs.JobStatus;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import web.HttpReplies;

/** 202 Accepted with the job id, its status and {@code Location: /job/{id}}. */
@Component
public class AcceptedReplyProcessor implements Processor {
    private final JobStore jobs;
    private final HttpReplies replies;

    public AcceptedReplyProcessor(JobStore jobs, HttpReplies replies) {
        this.jobs = jobs;
        this.replies = replies;
    }

    @Override
    public void process(Exchange exchange) {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        String jobId = upload.jobId();
        boolean repeat = exchange.getProperty(FindRepeatedRequestProcessor.REPEAT, false, Boolean.class);
        JobStatus status = repeat
                ? jobs.find(jobId).map(job -> job.status()).orElse(JobStatus.QUEUED)
                : JobStatus.QUEUED;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", jobId);
        body.put("status", status);
        replies.json(exchange, 202, body);
        exchange.getMessage().setHeader("Location", "/job/" + jobId);
    }
}
