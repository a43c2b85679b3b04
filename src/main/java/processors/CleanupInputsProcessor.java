package processors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;
import worker.PhotoBudget;

/**
 * When a job ends either way: its temp folder goes, and, when this delivery may, the job is named for the
 * {@code delete-inputs} route that removes its photos from storage.
 */
@Component
@Profile("worker")
public class CleanupInputsProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(CleanupInputsProcessor.class);

    private final PhotoBudget budget;

    public CleanupInputsProcessor(PhotoBudget budget) {
        this.budget = budget;
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        if (job == null) {
            return;
        }
        deleteTempDir(job.tempDir());
        budget.release(job.takePhotoReservation());
        if (!job.mayCleanUp()) {
            // A newer delivery owns the job and still needs its inputs.
            return;
        }
        exchange.setProperty(JobHeaders.DELETE_INPUTS_OF, job.jobId());
    }

    static void deleteTempDir(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete temp folder {}", dir, e);
        }
    }
}
