package processors;

import config.PanelOneProperties;
import images.ImageFormat;
import images.ImageInfo;
import images.ImageInspector;
import images.InvalidImageException;
import images.ObjectNames;
import ingest.Upload;
import ingest.UploadRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.attachment.AttachmentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads and checks every part of a POST /generate before anything is stored: the caller learns of the first
 * problem and nothing is left behind.
 */
@Component
public class ReadUploadProcessor implements Processor {
    static final String FIELD = "files";
    private static final Logger log = LoggerFactory.getLogger(ReadUploadProcessor.class);
    private static final Set<String> GENERIC_TYPES = Set.of("", "application/octet-stream", "binary/octet-stream");
    private static final int MAX_IDEMPOTENCY_KEY = 200;

    private final PanelOneProperties.Limits limits;

    public ReadUploadProcessor(PanelOneProperties properties) {
        this.limits = properties.limits();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HttpServletRequest request = exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        discardCamelCopies(exchange);
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadRejectedException(415,
                    "Send the photos as multipart/form-data, one part named 'files' per image");
        }
        Path dir = Files.createTempDirectory("panel-upload-");
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                deleteTree(dir);
            }
        });
        List<Upload.Image> images = new ArrayList<>();
        for (Part part : request.getParts()) {
            images.add(readPart(part, images.size() + 1, dir));
        }
        if (images.isEmpty()) {
            throw new UploadRejectedException(400, "No files: send one or more images as parts named 'files'");
        }
        exchange.setProperty(JobHeaders.UPLOAD, new Upload(images, idempotencyKey(request)));
    }

    private Upload.Image readPart(Part part, int number, Path dir) throws IOException {
        if (!FIELD.equals(part.getName())) {
            throw new UploadRejectedException(400, "Unexpected part '" + printable(part.getName())
                    + "': send each image as a part named 'files'");
        }
        String name = part.getSubmittedFileName();
        String label = name == null || name.isBlank() ? "#" + number : "'" + printable(name) + "'";
        if (name == null) {
            throw new UploadRejectedException(400, "Part " + label + " named 'files' is not a file upload");
        }
        if (number > limits.maxFiles()) {
            throw new UploadRejectedException(400, "Too many files: at most " + limits.maxFiles() + " images per request");
        }
        if (part.getSize() == 0) {
            throw new UploadRejectedException(400, "File " + label + " is empty");
        }
        if (part.getSize() > limits.maxFileSize().toBytes()) {
            throw new UploadRejectedException(413, "File " + label + " is larger than "
                    + limits.maxFileSize().toMegabytes() + " MiB");
        }
        // The container moves its temp file here (a rename, not a copy): the part is never read into the heap.
        Path file = dir.resolve(Integer.toString(number));
        part.write(file.toString());
        ImageInfo info;
        try {
            info = ImageInspector.inspect(file);
        } catch (InvalidImageException e) {
            throw new UploadRejectedException(400, "File " + label + " " + e.getMessage());
        }
        checkDeclaredType(part.getContentType(), info.format(), label);
        return new Upload.Image(file, name, info.format(), Files.size(file), ObjectNames.safe(name, info.format()));
    }

    /** A declared type may be vague, but must not contradict what the bytes are. */
    private static void checkDeclaredType(String declared, ImageFormat actual, String label) {
        String type = declared == null ? "" : declared.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (GENERIC_TYPES.contains(type)) {
            return;
        }
        ImageFormat claimed;
        try {
            claimed = ImageFormat.fromMimeType(type);
        } catch (IllegalArgumentException e) {
            claimed = null;
        }
        if (claimed != actual) {
            throw new UploadRejectedException(400, "File " + label + " is declared as " + printable(type)
                    + " but its contents are a " + actual.name() + " image");
        }
    }

    private static String idempotencyKey(HttpServletRequest request) {
        String key = request.getHeader("Idempotency-Key");
        if (key == null || key.isBlank()) {
            return null;
        }
        key = key.trim();
        if (key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new UploadRejectedException(400,
                    "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " visible ASCII characters");
        }
        return key;
    }

    /** Names echoed back in errors are trimmed and stripped of control characters. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }

    /**
     * platform-http copies the first uploaded file to a temp file of its own, which it never deletes (CAMEL-24593);
     * we read the parts straight from the servlet request, so that copy is removed at once.
     */
    private static void discardCamelCopies(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Path path) {
            deleteQuietly(path);
        }
        AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
        if (attachments != null && attachments.hasAttachments()) {
            for (DataHandler handler : attachments.getAttachments().values()) {
                if (handler.getDataSource() instanceof FileDataSource file) {
                    deleteQuietly(file.getFile().toPath());
                }
            }
        }
        exchange.getMessage().setBody(null);
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(ReadUploadProcessor::deleteQuietly);
        } catch (IOException e) {
            log.warn("Could not delete upload folder {}", dir, e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not delete upload copy {}", path, e);
        }
    }
}
