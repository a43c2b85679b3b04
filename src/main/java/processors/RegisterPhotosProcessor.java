package processors;

import clients.GeminiFile;
import clients.GeminiGateway;
import clients.RegistrationCredentials;
import jobs.JobContext;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Registers the job's photos, where they are in storage, as Gemini files in one call (PANEL_GEMINI_PHOTOS=register),
 * so the story and panel calls reference them as they would uploads; deleted at the end like uploads.
 */
@Component
@Profile("worker")
public class RegisterPhotosProcessor implements Processor {
    private final GeminiGateway gemini;
    private final RegistrationCredentials credentials;

    public RegisterPhotosProcessor(GeminiGateway gemini, RegistrationCredentials credentials) {
        this.gemini = gemini;
        this.credentials = credentials;
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        for (GeminiFile file : gemini.register(credentials.get(), job.storedPhotos(), job.deadline())) {
            job.uploaded(file);
        }
    }
}
