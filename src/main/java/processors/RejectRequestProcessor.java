package processors;

import access.AccessRefusedException;
import com.google.cloud.storage.StorageException;
import config.PanelOneProperties;
import failures.Causes;
import ingest.InputUploads;
import ingest.UnreadBody;
import ingest.Upload;
import jakarta.servlet.http.HttpServletRequest;
import ingest.UploadRejectedException;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import web.HttpReplies;

/**
 * The one way an API request fails (applied by {@code routes.ApiErrorPolicy}): it names the job whose stored inputs
 * must go, and the caller gets a status and a {@code detail} saying why. Refusals keep their own status (400, 401,
 * 408, 413, 415, 429); Redis or storage unreachable is 503; anything else is 500. A POST /generate says that
 * nothing was stored; a read says what it could not read.
 */
@Component
public class RejectRequestProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(RejectRequestProcessor.class);

    private final HttpReplies replies;
    private final long maxDrain;

    public RejectRequestProcessor(HttpReplies replies, PanelOneProperties properties) {
        this.replies = replies;
        this.maxDrain = properties.limits().maxRequestSize().toBytes();
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // Only an upload stores anything (only POST /generate accepts a body), so only it says what was kept.
        boolean upload = "POST".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
        discardStoredInputs(exchange);
        if (failure instanceof AccessRefusedException refused) {
            // Refused on its headers, maybe before its body was read: take the rest so the client hears why.
            UnreadBody.drain(exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class),
                    maxDrain);
            log.info("Refused a request ({}): {}", refused.status(), refused.getMessage());
            replies.refusal(exchange, refused);
        } else if (failure instanceof UploadRejectedException rejected) {
            log.info("Rejected upload ({}): {}", rejected.status(), rejected.getMessage());
            replies.detail(exchange, rejected.status(), rejected.getMessage());
        } else if (Causes.has(failure, DataAccessException.class)
                && exchange.getProperty(JobHeaders.KEEP_INPUTS, false, Boolean.class)) {
            // The job id is the one way every client can find out, also one that sent no Idempotency-Key.
            Upload stored = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
            String jobId = stored == null ? null : stored.jobId();
            replies.detail(exchange, 503, jobId == null
                    ? "The job queue did not answer in time; the job may have been queued. Repeat the request with"
                            + " the same Idempotency-Key to find out."
                    : "The job queue did not answer in time; the job may have been queued as " + jobId + ". GET /job/"
                            + jobId + " tells whether it was (404: it was not), as does a repeat with the same"
                            + " Idempotency-Key.");
        } else if (Causes.has(failure, DataAccessException.class)) {
            log.error("Request refused: Redis is unavailable", failure);
            replies.detail(exchange, 503, upload
                    ? "The job queue is unavailable right now; nothing was stored. Try again shortly."
                    : "Job records are unavailable right now. Try again shortly.");
        } else if (Causes.find(failure, StorageException.class).map(StorageException::getCode).orElse(0) == 404) {
            log.error("Request refused: the bucket does not exist", failure);
            replies.detail(exchange, 503, "Storage is not ready (the bucket does not exist); nothing was stored.");
        } else if (Causes.has(failure, StorageException.class)) {
            log.error("Request refused: storage is unavailable", failure);
            replies.detail(exchange, 503, "Storage is unavailable right now; nothing was stored. Try again shortly.");
        } else {
            log.error("Request failed", failure);
            replies.detail(exchange, 500, upload ? "Internal error; nothing was stored. Try again."
                    : "Internal error. Try again.");
        }
    }

    private void discardStoredInputs(Exchange exchange) {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        boolean repeat = exchange.getProperty(FindRepeatedRequestProcessor.REPEAT, false, Boolean.class);
        String jobId = exchange.getProperty(JobHeaders.DELETE_INPUTS_OF, String.class);
        InputUploads uploads = exchange.getProperty(JobHeaders.INPUT_UPLOADS, InputUploads.class);
        if (exchange.getProperty(JobHeaders.KEEP_INPUTS, false, Boolean.class)) {
            // The job may be queued after all: its photos stay (the bucket's 1-day rule is the backstop).
            jobId = null;
        } else if (jobId == null && upload != null && !repeat) {
            jobId = upload.jobId();
        } else if (jobId == null && uploads != null && uploads.anyStarted()) {
            // Refused while its parts were still being read: photos already stored are under its own job id.
            jobId = uploads.jobId();
        }
        exchange.setProperty(JobHeaders.DELETE_INPUTS_OF, jobId);
    }
}
