package processors;

import clients.GeminiFile;
import clients.GeminiGateway;
import clients.InputImage;
import config.IoPools;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;

/**
 * Uploads the job's downloaded photos to Gemini's Files API, all at once, so the story and panel calls can
 * reference them instead of each carrying every photo.
 */
@Component
@Profile("worker")
public class UploadPhotosProcessor implements Processor {
    private final GeminiGateway gemini;
    private final ExecutorService pool;

    public UploadPhotosProcessor(GeminiGateway gemini, IoPools pools) {
        this.gemini = gemini;
        this.pool = pools.storageIo();
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        List<CompletableFuture<GeminiFile>> uploads = job.images().stream()
                .map(image -> CompletableFuture.supplyAsync(() -> upload(job, image), pool))
                .toList();
        try {
            // allOf waits for every upload, failed or not, so each file that went up is known and deleted at the end.
            CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private GeminiFile upload(JobContext job, InputImage image) {
        GeminiFile file = gemini.upload(image, job.deadline());
        job.uploaded(file);
        return file;
    }
}
