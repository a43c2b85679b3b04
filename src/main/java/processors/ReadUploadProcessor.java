package processors;

import config.PanelOneProperties;
import images.ImageFormat;
import images.ImageInfo;
import images.ImageInspector;
import images.ImageLimits;
import images.InvalidImageException;
import images.ObjectNames;
import failures.Causes;
import ingest.InputUploads;
import ingest.MinimumRateInputStream;
import ingest.MultipartStreamReader;
import ingest.PartHeaders;
import ingest.Upload;
import ingest.UploadRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jobs.JobHeaders;
import jobs.JobIds;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads and checks every part of a POST /generate: the caller learns of the first problem and nothing is left
 * behind.
 *
 * <p>A request without an Idempotency-Key is new by definition (only a key makes a repeat) and its client's limits
 * were checked on its headers, so each photo's upload to storage starts in the background as soon as its part is
 * checked, and its temp file goes when the upload ends: the request's photos are not all held in /tmp until the
 * last part arrives. Such a request can still be refused after a photo is stored (a later part is bad, Redis is
 * down, a concurrent request took the last unit of the limit); the error policy then settles the uploads and
 * deletes inputs/{job_id}/. A request with a key may be a repeat, which must still get its 400 for a bad body and
 * then store nothing, so its photos are stored only once it is known to be new (step store-inputs).
 */
@Component
public class ReadUploadProcessor implements Processor {
    static final String FIELD = "files";
    private static final Logger log = LoggerFactory.getLogger(ReadUploadProcessor.class);
    private static final Set<String> GENERIC_TYPES = Set.of("", "application/octet-stream", "binary/octet-stream");
    private static final int MAX_IDEMPOTENCY_KEY = 200;
    /** As server.tomcat.max-swallow-size. */
    private static final long MAX_DRAIN = 100L * 1024 * 1024;

    private final PanelOneProperties.Limits limits;
    private final ImageLimits imageLimits;
    private final StoreInputProcessor storeInput;

    public ReadUploadProcessor(PanelOneProperties properties, StoreInputProcessor storeInput) {
        this.limits = properties.limits();
        this.imageLimits = new ImageLimits(limits.maxImagePixels());
        this.storeInput = storeInput;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HttpServletRequest request = exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        String boundary;
        String idempotencyKey;
        try {
            boundary = boundary(request.getContentType());
            idempotencyKey = idempotencyKey(request);
            if (request.getContentLengthLong() > limits.maxRequestSize().toBytes()) {
                throw requestTooLarge();
            }
        } catch (UploadRejectedException e) {
            // Refused on its headers alone; the body is discarded all the same, so the client gets the answer.
            drainRest(request);
            throw e;
        }
        Path dir = Files.createTempDirectory("panel-upload-");
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                // Normally settled already (stored, or settled by the error policy); never delete under an upload.
                InputUploads uploads = done.getProperty(JobHeaders.INPUT_UPLOADS, InputUploads.class);
                if (uploads != null) {
                    uploads.settle();
                }
                deleteTree(dir);
            }
        });
        // Too slow or silent too long: cut off, and the temp folder goes with the exchange (below).
        InputStream body = new MinimumRateInputStream(request.getInputStream(), limits.uploadIdleTimeout(),
                limits.minUploadRate().toBytes());
        MultipartStreamReader reader = new MultipartStreamReader(body, boundary,
                limits.maxRequestSize().toBytes(), (int) limits.maxPartHeaderSize().toBytes());
        List<Upload.Image> images = new ArrayList<>();
        // The job id comes first when photos are stored while reading: they are stored under it.
        InputUploads uploads = idempotencyKey == null
                ? StoreInputProcessor.uploads(exchange, JobIds.newId())
                : null;
        try {
            for (PartHeaders part = reader.nextPart(); part != null; part = reader.nextPart()) {
                Upload.Image image = readPart(reader, part, images.size() + 1, dir);
                images.add(image);
                if (uploads != null) {
                    storeInput.start(uploads, images.size(), image);
                }
            }
        } catch (UploadRejectedException e) {
            drainRest(request);
            throw e;
        } catch (IOException e) {
            // A client cut off for its pace is not drained: waiting for the rest is what it must not cost.
            UploadRejectedException cutOff = cutOff(e);
            if (cutOff != null) {
                throw cutOff;
            }
            if (e instanceof MultipartStreamReader.BodyTooLargeException) {
                drainRest(request);
                throw requestTooLarge();
            }
            if (e instanceof MultipartStreamReader.MalformedMultipartException) {
                drainRest(request);
                throw new UploadRejectedException(400, "The multipart request could not be read: " + e.getMessage());
            }
            throw e;
        }
        if (images.isEmpty()) {
            throw new UploadRejectedException(400, "No files: send one or more images as parts named 'files'");
        }
        Upload upload = new Upload(images, idempotencyKey);
        if (uploads != null) {
            upload.jobId(uploads.jobId());
        }
        exchange.setProperty(JobHeaders.UPLOAD, upload);
    }

    private Upload.Image readPart(MultipartStreamReader reader, PartHeaders part, int number, Path dir)
            throws IOException {
        if (!FIELD.equals(part.name())) {
            throw new UploadRejectedException(400, "Unexpected part '" + printable(part.name())
                    + "': send each image as a part named 'files'");
        }
        String name = part.fileName();
        String label = name == null || name.isBlank() ? "#" + number : "'" + printable(name) + "'";
        if (name == null) {
            throw new UploadRejectedException(400, "Part " + label + " named 'files' is not a file upload");
        }
        if (name.indexOf('\0') >= 0) {
            throw new UploadRejectedException(400, "File " + label + " has an invalid file name (a NUL character)");
        }
        if (number > limits.maxFiles()) {
            throw new UploadRejectedException(400, "Too many files: at most " + limits.maxFiles() + " images per request");
        }
        // Straight from the request stream to a temp file in large writes: the part is never held in the heap.
        Path file = dir.resolve(Integer.toString(number));
        long size;
        try (OutputStream out = Files.newOutputStream(file)) {
            size = reader.transferBody(out, limits.maxFileSize().toBytes());
        } catch (MultipartStreamReader.PartTooLargeException e) {
            throw new UploadRejectedException(413, "File " + label + " is larger than "
                    + limits.maxFileSize().toMegabytes() + " MiB");
        }
        if (size == 0) {
            throw new UploadRejectedException(400, "File " + label + " is empty");
        }
        ImageInfo info;
        try {
            // The one check of this photo: the worker trusts what is stored (format by extension, orientation by metadata).
            info = ImageInspector.inspect(file, imageLimits);
        } catch (InvalidImageException e) {
            throw new UploadRejectedException(400, "File " + label + " " + e.getMessage());
        }
        checkDeclaredType(part.contentType(), info.format(), label);
        return new Upload.Image(file, name, info.format(), size, ObjectNames.safe(name, info.format()),
                info.orientation());
    }

    /**
     * Reads and discards what the client is still sending before it is refused, as Tomcat does for a synchronous
     * answer: an answer sent while a large body is still coming lets the connection close under the client, which
     * then sees a broken pipe instead of the reason. Bounded like Tomcat's swallow, so nobody can hold a thread
     * by sending forever.
     */
    private static void drainRest(HttpServletRequest request) {
        byte[] sink = new byte[64 * 1024];
        long left = MAX_DRAIN;
        try (var in = request.getInputStream()) {
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // The client went away: nobody is left to answer.
        }
    }

    /**
     * 408 for an upload slower than the minimum rate, or silent for longer than the idle timeout (Tomcat's read
     * timeout, server.tomcat.connection-timeout); null for any other failure.
     */
    private UploadRejectedException cutOff(IOException e) {
        if (Causes.has(e, MinimumRateInputStream.TooSlowException.class)) {
            log.info("Upload cut off, slower than {} bytes/s", limits.minUploadRate().toBytes());
            return new UploadRejectedException(408, "The upload was too slow: send at least "
                    + limits.minUploadRate().toKilobytes() + " KiB per second");
        }
        if (Causes.has(e, SocketTimeoutException.class)) {
            log.info("Upload cut off, silent for {} s", limits.uploadIdleTimeout().toSeconds());
            return new UploadRejectedException(408, "The upload stalled: nothing arrived for "
                    + limits.uploadIdleTimeout().toSeconds() + " s");
        }
        return null;
    }

    private UploadRejectedException requestTooLarge() {
        return new UploadRejectedException(413, "The request is larger than "
                + limits.maxRequestSize().toMegabytes() + " MiB");
    }

    /** The boundary parameter of a multipart/form-data Content-Type (RFC 2046: 1 to 70 characters, maybe quoted). */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadRejectedException(415,
                    "Send the photos as multipart/form-data, one part named 'files' per image");
        }
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (value.isEmpty() || value.length() > 70 || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
                    break;
                }
                return value;
            }
        }
        throw new UploadRejectedException(400, "The multipart request could not be read: no valid boundary in its Content-Type");
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
        if (claimed == null || !actual.mayBeDeclaredAs(claimed)) {
            throw new UploadRejectedException(400, "File " + label + " is declared as " + printable(type)
                    + " but its contents are a " + actual.displayName() + " image");
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
