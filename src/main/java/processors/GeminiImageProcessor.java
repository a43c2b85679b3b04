package processors;

import clients.GeminiGateway;
import jobs.JobHeaders;
import metrics.JobMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;

/** Asks the job's image model (GEMINI_IMAGE_MODEL when the job started) for the 16:9, 2K panel. */
@Component
@Profile("worker")
public class GeminiImageProcessor implements Processor {
    private final GeminiGateway gemini;
    private final PromptLibrary prompts;
    private final JobMetrics metrics;

    public GeminiImageProcessor(GeminiGateway gemini, PromptLibrary prompts, JobMetrics metrics) {
        this.gemini = gemini;
        this.prompts = prompts;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        var panel = gemini.drawPanel(job.models().image(), prompts.image(), job.story(), job.geminiFiles(), job.deadline());
        metrics.modelCall(job.models().image(), panel.usage(), panel.duration());
        job.panel(panel.bytes());
    }
}
