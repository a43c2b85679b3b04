package processors;

import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;
import worker.PhotoBudget;

/**
 * Deletes a job's downloaded photos as soon as Gemini has them: both model calls refer to the uploads, and on
 * Cloud Run the temp folder is memory, so holding them for the rest of the job (minutes) would cost RAM for nothing.
 * Their room in the worker's {@link PhotoBudget} is given back with them. Also run in clean-up, for a job that
 * failed before this step.
 */
@Component
@Profile("worker")
public class DropLocalPhotosProcessor implements Processor {
    private final PhotoBudget budget;

    public DropLocalPhotosProcessor(PhotoBudget budget) {
        this.budget = budget;
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        if (job == null) {
            return;
        }
        CleanupInputsProcessor.deleteTempDir(job.tempDir());
        job.images(java.util.List.of());
        budget.release(job.takePhotoReservation());
    }
}
