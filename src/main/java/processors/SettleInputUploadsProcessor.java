package processors;

import ingest.InputUploads;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * On a refused POST /generate, before its inputs are deleted: photo uploads not yet begun are dropped and those
 * under way are waited for, so no object can appear under inputs/{job_id}/ after the delete. A no-op for requests
 * that started no upload.
 */
@Component
public class SettleInputUploadsProcessor implements Processor {
    @Override
    public void process(Exchange exchange) {
        InputUploads uploads = exchange.getProperty(JobHeaders.INPUT_UPLOADS, InputUploads.class);
        if (uploads != null) {
            uploads.settle();
        }
    }
}
