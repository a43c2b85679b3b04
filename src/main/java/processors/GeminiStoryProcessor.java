package processors;

import clients.GeminiGateway;
import jobs.JobHeaders;
import metrics.JobMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import worker.JobContext;

/** Asks gemini-3-pro-preview for a short story about the photos. */
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
        var story = gemini.writeStory(prompts.story(), job.geminiFiles(), job.deadline());
        metrics.modelCall(GeminiGateway.STORY_MODEL, story.usage(), story.duration());
        job.story(story.text());
    }
}
