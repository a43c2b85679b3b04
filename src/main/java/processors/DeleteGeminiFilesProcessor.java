package processors;

import clients.GeminiFile;
import clients.GeminiGateway;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;

/**
 * When a run of a job ends either way: the photos it uploaded to Gemini are deleted. They belong to this run
 * alone (a re-run uploads its own), so unlike the stored inputs they go even when another delivery took over.
 */
@Component
@Profile("worker")
public class DeleteGeminiFilesProcessor implements Processor {
    private final GeminiGateway gemini;

    public DeleteGeminiFilesProcessor(GeminiGateway gemini) {
        this.gemini = gemini;
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        if (job == null) {
            return;
        }
        for (GeminiFile file : job.geminiFiles()) {
            gemini.delete(file);
        }
    }
}
