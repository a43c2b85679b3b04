package processors;

import clients.GeminiGateway;
import jobs.JobHeaders;
import metrics.JobMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;

/** Asks the job's story model (GEMINI_STORY_MODEL when the job started) for a short story about the photos. */
@Component
@Profile("worker")
public class GeminiStoryProcessor implements Processor {
    private final GeminiGateway gemini;
    private final PromptLibrary prompts;
    private final JobMetrics metrics;

    public GeminiStoryProcessor(GeminiGateway gemini, PromptLibrary prompts, JobMetrics metrics) {
        this.gemini = gemini;
        this.prompts = prompts;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        var story = gemini.writeStory(job.models().story(), prompts.story(), job.geminiFiles(), job.deadline());
        metrics.modelCall(job.models().story(), story.usage(), story.duration());
        job.story(story.text());
    }
}
