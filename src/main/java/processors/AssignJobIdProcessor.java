package processors;

import clients.StorageLayout;
import ingest.Upload;
import java.util.ArrayList;
import java.util.List;
import jobs.JobHeaders;
import jobs.JobIds;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** Gives a new request its job id, unless reading it gave one already, and decides the object name of every input. */
@Component
public class AssignJobIdProcessor implements Processor {
    private final StorageLayout layout;

    public AssignJobIdProcessor(StorageLayout layout) {
        this.layout = layout;
    }

    @Override
    public void process(Exchange exchange) {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        // Already named when its photos began to be stored while it was read (ReadUploadProcessor).
        String jobId = upload.jobId() != null ? upload.jobId() : JobIds.newId();
        upload.jobId(jobId);
        MDC.put("job_id", jobId);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < upload.images().size(); i++) {
            names.add(layout.inputObject(jobId, i + 1, upload.images().get(i).safeName()));
        }
        upload.objectNames(names);
    }
}
