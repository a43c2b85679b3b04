package processors;

import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import worker.JobContext;

/**
 * Deletes a job's downloaded photos as soon as Gemini has them: both model calls refer to the uploads, and on
 * Cloud Run the temp folder is memory, so holding them for the rest of the job (minutes) would cost RAM for nothing.
 */
@Component
@Profile("worker")
public class DropLocalPhotosProcessor implements Processor {
    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        CleanupInputsProcessor.deleteTempDir(job.tempDir());
        job.images(java.util.List.of());
    }
}
