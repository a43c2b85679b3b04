package web;

import config.PanelOneProperties;
import failures.Causes;
import java.util.Map;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Multipart limits are enforced by the servlet container before any route runs; this gives those refusals the
 * same {@code {"detail": ...}} body as every other error.
 */
@RestControllerAdvice
public class UploadLimitAdvice {
    private static final Logger log = LoggerFactory.getLogger(UploadLimitAdvice.class);

    private final PanelOneProperties.Limits limits;

    public UploadLimitAdvice(PanelOneProperties properties) {
        this.limits = properties.limits();
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, String>> tooLarge(MaxUploadSizeExceededException e) {
        boolean oneFile = Causes.has(e, FileSizeLimitExceededException.class);
        String detail = oneFile
                ? "A file is larger than " + limits.maxFileSize().toMegabytes() + " MiB"
                : "The request is larger than " + limits.maxRequestSize().toMegabytes() + " MiB";
        log.info("Rejected upload (413): {}", detail);
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("detail", detail));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Map<String, String>> badMultipart(MultipartException e) {
        String detail = Causes.has(e, FileCountLimitExceededException.class)
                ? "Too many parts: at most " + limits.maxFiles() + " images per request"
                : "The multipart request could not be read: " + e.getMostSpecificCause().getMessage();
        log.info("Rejected upload (400): {}", detail);
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("detail", detail));
    }

}
