package routes;

import clients.StorageLayout;
import jobs.JobHeaders;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.google.storage.GoogleCloudStorageConstants;
import org.springframework.stereotype.Component;

/**
 * Deletes every object under {@code inputs/{job_id}/} of the job named by {@link JobHeaders#DELETE_INPUTS_OF}, if
 * any. Callers {@code enrich} it with {@code useOriginal()}, so their own message is left as it was.
 * Listing by prefix, not trusting a list of names, also removes an upload that completed while its request failed.
 * A failure here is logged, never raised: the caller's outcome stands, and the bucket's 1-day lifecycle rule is the
 * backstop.
 */
@Component
public class InputCleanupRoutes extends RouteBuilder {
    public static final String DELETE_INPUTS = "direct:delete-inputs";
    private static final String STORAGE = "google-storage://{{panel.bucket}}?autoCreateBucket=false&storageClient=#storage";

    private final StorageLayout layout;

    public InputCleanupRoutes(StorageLayout layout) {
        this.layout = layout;
    }

    @Override
    public void configure() {
        from(DELETE_INPUTS)
                .routeId("delete-inputs")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.ERROR, "Could not delete the inputs of job ${exchangeProperty."
                            + JobHeaders.DELETE_INPUTS_OF + "}: ${exception.message}")
                .end()
                .filter(exchangeProperty(JobHeaders.DELETE_INPUTS_OF).isNotNull())
                .setHeader(GoogleCloudStorageConstants.PREFIX_NAME,
                        method(layout, "inputPrefix(${exchangeProperty." + JobHeaders.DELETE_INPUTS_OF + "})"))
                .to(STORAGE + "&operation=listObjects").id("list-inputs")
                .split(body())
                    .setHeader(GoogleCloudStorageConstants.OBJECT_NAME, simple("${body.name}"))
                    .to(STORAGE + "&operation=deleteObject").id("delete-input")
                .end()
                .log("Deleted the inputs of job ${exchangeProperty." + JobHeaders.DELETE_INPUTS_OF + "}");
    }
}
