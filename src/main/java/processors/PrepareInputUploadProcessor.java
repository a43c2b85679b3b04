package processors;

import ingest.Upload;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.google.storage.GoogleCloudStorageConstants;
import org.springframework.stereotype.Component;

/** Turns one accepted image part into a google-storage upload, streamed from the request's temp file. */
@Component
public class PrepareInputUploadProcessor implements Processor {
    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        Upload.Image image = message.getBody(Upload.Image.class);
        String objectName = upload.objectNames().get(exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class));
        message.setHeader(GoogleCloudStorageConstants.OBJECT_NAME, objectName);
        message.setHeader(GoogleCloudStorageConstants.CONTENT_TYPE, image.format().mimeType());
        // With the length known the component streams the part instead of reading it into memory first.
        message.setHeader(GoogleCloudStorageConstants.CONTENT_LENGTH, image.size());
        message.setBody(java.nio.file.Files.newInputStream(image.file()));
    }
}
