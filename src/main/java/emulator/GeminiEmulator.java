package emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server speaking the Gemini REST API's {@code generateContent} and {@code models.get} for the models
 * Panel One uses, and the Files API the photos are uploaded through ({@link #handleFiles}).
 *
 * <p>It mirrors Google's model lifecycle: it serves today's models ({@link #STORY_MODEL}, {@link #IMAGE_MODEL}) and
 * answers every id in {@link #SHUT_DOWN_MODELS} (models Google has turned off) with the same 404 NOT_FOUND a real
 * call gets, for generateContent and models.get alike. When Google shuts down another model Panel One has used,
 * add it to that list. {@link #retire} shuts a served model down while the emulator runs, as Google does.
 *
 * <p>Point the google-genai SDK at {@link #baseUrl()} with {@code HttpOptions.baseUrl(..)}; it then calls
 * {@code POST /v1beta/models/{model}:generateContent} with the key in {@code x-goog-api-key}. Any non-blank key
 * is accepted; a missing one gets 403 PERMISSION_DENIED, an unknown model 404 NOT_FOUND, both in Google's
 * {@code {"error":{"code","message","status"}}} body. Every request is recorded, each call can be delayed, and
 * scripted {@link Fault}s per model are consumed one per call, before the always-on fault, if any.
 *
 * <p>Control API, for when the emulator runs in another process (JSON in and out, no key needed):
 * <ul>
 *   <li>{@code POST /_emulator/faults} {@code {"model":"gemini-3-pro-image","fault":{"type":"status",
 *       "code":503,"status":"UNAVAILABLE","message":"overloaded"},"count":2}}; {@code "always":true} instead of
 *       a count makes it permanent. Fault JSON forms are listed at {@link Fault#fromJson}. Faults under the key
 *       {@code "models.get"} answer the model lookups instead.</li>
 *   <li>{@code POST /_emulator/models} {@code {"retire":"gemini-3-pro-image"}} shuts a served model down.</li>
 *   <li>{@code DELETE /_emulator/faults} drops scripted and always-on faults.</li>
 *   <li>{@code POST /_emulator/latency} {@code {"ms":5000}} delays every following call.</li>
 *   <li>{@code POST /_emulator/panel} {@code {"bytes":6000000}} pads every following panel PNG to that size.</li>
 *   <li>{@code POST /_emulator/encoding} {@code {"gzip":true}} gzips every following answer whose request accepts
 *       gzip, as Google's front end may; the calls summary counts them ({@code "gzipped"}).</li>
 *   <li>{@code GET /_emulator/files} answers {@code {"files":["files/…"],"uploads":[{"name","mimeType",
 *       "displayName","sizeBytes"}],"registrations":["gs://…"]}}: the files not deleted yet, every upload since the
 *       last reset with the type it was declared as, and every Cloud Storage object registered.</li>
 *   <li>{@code GET /_emulator/calls} answers {@code {"total":3,"models":{"gemini-3.1-pro-preview":2,…},"calls":3,
 *       "handling_ms":12.5,"busy_ms":11.9}} (time spent answering generateContent, see {@link BusyClock});
 *       {@code DELETE /_emulator/calls} forgets recorded calls.</li>
 * </ul>
 *
 * <p>Run alone: {@code emulator.GeminiEmulator --port 8089 --latency-ms 5000 [--render-width 1376]
 * [--storage-url http://127.0.0.1:4443] [--panel-bytes 6000000] [--gzip true]} (the storage emulator {@code files:register} reads {@code gs://} objects
 * from).
 */
public final class GeminiEmulator implements AutoCloseable {

    /** The served text model: Google's designated replacement for gemini-3-pro-preview. */
    public static final String STORY_MODEL = "gemini-3.1-pro-preview";
    /** The served image model: Nano Banana Pro's generally available release (2026-05-28). */
    public static final String IMAGE_MODEL = "gemini-3-pro-image";
    /**
     * Models Google has shut down, as its Gemini API deprecations page records them; each answers 404 NOT_FOUND.
     * <ul>
     *   <li>{@code gemini-3-pro-preview}: shut down 2026-03-09, replaced by gemini-3.1-pro-preview.</li>
     *   <li>{@code gemini-3-pro-image-preview}: shut down 2026-06-25, replaced by gemini-3-pro-image.</li>
     * </ul>
     */
    public static final Set<String> SHUT_DOWN_MODELS = Set.of("gemini-3-pro-preview", "gemini-3-pro-image-preview");
    /** The key under which model lookup ({@code models.get}) faults are scripted. */
    public static final String MODEL_LOOKUP = "models.get";
    /** Wide enough to look like a panel, small enough to render and encode in tens of milliseconds. */
    public static final int DEFAULT_RENDER_WIDTH = 1376;

    /** The key under which Files API faults are scripted, as a model's are under its id. */
    public static final String FILES = "files";

    private static final Logger log = LoggerFactory.getLogger(GeminiEmulator.class);
    private static final Pattern MODEL_GET = Pattern.compile("/([^/]+)/models/([^/:]+)");
    private static final Pattern GENERATE = Pattern.compile("/([^/]+)/models/([^/:]+):generateContent");
    private static final String UPLOAD_PATH = "/upload/v1beta/files";
    private static final String REGISTER_PATH = "/v1beta/files:register";
    private static final Pattern FILE = Pattern.compile("/v1beta/(files/[a-z0-9-]+)");

    private final HttpServer server;
    private final ExecutorService pool;
    private final ObjectMapper json = new ObjectMapper();
    private final GeminiFiles files = new GeminiFiles(json);
    private final GeminiResponses responses = new GeminiResponses(json, files);
    private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Fault>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Fault> always = new ConcurrentHashMap<>();
    /** Served model ids and what they make; everything else, shut-down ids included, is not found. */
    private final Map<String, ModelKind> served = new ConcurrentHashMap<>(DEFAULT_MODELS);
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final BusyClock busy = new BusyClock();
    private volatile Duration latency = Duration.ZERO;
    private volatile int renderWidth = DEFAULT_RENDER_WIDTH;
    /** Size the panel PNG is padded to (0: as drawn, tens of kilobytes); see {@link PanelPadding}. */
    private volatile int panelBytes;
    /**
     * Whether answers are gzipped for clients that accept it (off by default). OkHttp, under the SDK, asks for gzip
     * on every call and inflates the answer before any interceptor of ours sees it, without a Content-Length.
     */
    private volatile boolean gzipAnswers;
    private final AtomicInteger gzipped = new AtomicInteger();
    /** Where registered {@code gs://} objects are read from: the storage emulator; null until set. */
    private volatile StorageReader storage;

    /** What a served model answers with. */
    public enum ModelKind { TEXT, IMAGE }

    private static final Map<String, ModelKind> DEFAULT_MODELS = Map.of(STORY_MODEL, ModelKind.TEXT,
            IMAGE_MODEL, ModelKind.IMAGE);

    private GeminiEmulator(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Starts on 127.0.0.1 at this port; 0 picks a free one. */
    public static GeminiEmulator start(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("Gemini emulator cannot listen on port " + port, e);
        }
        // Unbounded on purpose: latency is a sleep on the request's thread, and the benchmark keeps hundreds in flight.
        ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());
        GeminiEmulator emulator = new GeminiEmulator(server, pool);
        server.createContext("/", emulator::handleApi);
        server.createContext("/_emulator/", emulator::handleControl);
        server.setExecutor(pool);
        server.start();
        log.info("Gemini emulator listening on {}", emulator.baseUrl());
        return emulator;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every generateContent request so far, oldest first, including rejected ones. */
    public List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    public int callCount(String model) {
        return (int) calls.stream().filter(call -> call.model().equals(model)).count();
    }

    /** How many times models.get asked about this model. */
    public int lookupCount(String model) {
        AtomicInteger count = lookups.get(model);
        return count == null ? 0 : count.get();
    }

    /** Shuts a served model down, as Google does: from now on it answers 404 NOT_FOUND. */
    public void retire(String model) {
        served.remove(model);
    }

    /** Serves one more model (for example a replacement not released when this emulator was written). */
    public void serve(String model, ModelKind kind) {
        if (SHUT_DOWN_MODELS.contains(model)) {
            throw new IllegalArgumentException(model + " is shut down by Google and cannot be served");
        }
        served.put(model, kind);
    }

    /** True when a call to this model would be answered (not 404). */
    public boolean serves(String model) {
        return served.containsKey(model);
    }

    /** Names ({@code files/…}) of the uploaded files not deleted yet. */
    public List<String> files() {
        return files.names();
    }

    /** Every upload finished since the last reset, oldest first, deleted files included, with its declared type. */
    public List<RecordedUpload> uploads() {
        return files.uploads();
    }

    /** The bytes of an uploaded file, by its URI or name, if it is still there. */
    public Optional<byte[]> file(String uriOrName) {
        return files.byUri(uriOrName).map(files::content);
    }

    /** Every {@code gs://} object registered since the last reset, oldest first, deleted registrations included. */
    public List<String> registrations() {
        return files.registrations();
    }

    /**
     * Lets {@code files:register} read {@code gs://} objects from the storage emulator at this base URL, as Gemini
     * reads them from Cloud Storage through its service agent.
     */
    public void setStorageUrl(String storageUrl) {
        StorageReader reader = new StorageReader(json, storageUrl);
        this.storage = reader;
        files.gcsReader(reader::read);
    }

    /** Back to a fresh state: no recorded calls, no files, no faults, no latency. */
    public void reset() {
        calls.clear();
        files.clear();
        lookups.clear();
        served.clear();
        served.putAll(DEFAULT_MODELS);
        clearFaults();
        latency = Duration.ZERO;
        panelBytes = 0;
        gzipAnswers = false;
        gzipped.set(0);
    }

    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    /** Caps the rendered panel's width; the aspect ratio stays the one requested. */
    public void setRenderWidth(int renderWidth) {
        if (renderWidth < 16) {
            throw new IllegalArgumentException("renderWidth must be at least 16, was " + renderWidth);
        }
        this.renderWidth = renderWidth;
    }

    /**
     * Pads every panel PNG to this many bytes (a real 2K panel is about 6 MB), so what a panel costs to carry,
     * decode and store is measured; 0 (the default, what tests use) answers the drawing as it is.
     */
    public void setPanelBytes(int panelBytes) {
        if (panelBytes < 0) {
            throw new IllegalArgumentException("panelBytes must not be negative, was " + panelBytes);
        }
        this.panelBytes = panelBytes;
    }

    /** Gzips the following answers to every request that accepts gzip ({@code Accept-Encoding}). */
    public void setGzipAnswers(boolean gzipAnswers) {
        this.gzipAnswers = gzipAnswers;
    }

    /** How many answers went out gzipped since the last {@link #reset}. */
    public int gzippedAnswers() {
        return gzipped.get();
    }

    /** Plays this fault on the next call to the model not already claimed by an earlier scripted fault. */
    public void enqueue(String model, Fault fault) {
        scripted.computeIfAbsent(model, m -> new ConcurrentLinkedQueue<>()).add(fault);
    }

    /** Plays this fault on every call to the model once its scripted faults are used up. */
    public void failAlways(String model, Fault fault) {
        always.put(model, fault);
    }

    public void clearFaults() {
        scripted.clear();
        always.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        // Interrupts handlers still sleeping in a latency or hang, so nothing outlives the emulator.
        pool.shutdownNow();
    }

    private void handleApi(HttpExchange exchange) {
        Instant arrivedAt = Instant.now();
        long started = busy.enter();
        try {
            String rawPath = exchange.getRequestURI().getPath();
            if (rawPath.equals(REGISTER_PATH)) {
                handleRegister(exchange);
                return;
            }
            if (rawPath.equals(UPLOAD_PATH) || FILE.matcher(rawPath).matches()) {
                handleFiles(exchange, rawPath);
                return;
            }
            Matcher lookup = MODEL_GET.matcher(rawPath);
            if ("GET".equals(exchange.getRequestMethod()) && lookup.matches()) {
                handleModelGet(exchange, lookup.group(1), lookup.group(2));
                return;
            }
            Matcher path = GENERATE.matcher(rawPath);
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                send(exchange, 404, responses.error(404, "NOT_FOUND", "Requested entity was not found."));
                return;
            }
            JsonNode request;
            try (InputStream body = exchange.getRequestBody()) {
                request = json.readTree(body);
            } catch (JsonProcessingException e) {
                send(exchange, 400, responses.error(400, "INVALID_ARGUMENT",
                        "Invalid JSON payload received. " + e.getOriginalMessage()));
                return;
            }
            String apiVersion = path.group(1);
            String model = path.group(2);
            String apiKey = apiKey(exchange);
            calls.add(new RecordedCall(apiVersion, model, apiKey, request, arrivedAt));
            if (apiKey == null || apiKey.isBlank()) {
                send(exchange, 403, responses.error(403, "PERMISSION_DENIED",
                        "Method doesn't allow unregistered callers (callers without established identity)."
                                + " Please use API Key or other form of API consumer identity to call this API."));
                return;
            }
            if (!served.containsKey(model)) {
                send(exchange, 404, notFound(model, apiVersion, "generateContent"));
                return;
            }
            String missing = responses.missingFile(request);
            if (missing != null) {
                send(exchange, 403, responses.error(403, "PERMISSION_DENIED", "You do not have permission to access"
                        + " the File " + missing + " or it may not exist."));
                return;
            }
            pause(latency);
            answer(exchange, model, request, nextFault(model));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // Usually the client gave up (its timeout) while we slept; nothing left to tell it.
            log.debug("Gemini emulator could not answer {}: {}", exchange.getRequestURI(), e.toString());
        } catch (RuntimeException e) {
            log.error("Gemini emulator failed on {}", exchange.getRequestURI(), e);
            trySend(exchange, 500, responses.error(500, "INTERNAL", "An internal error has occurred."));
        } finally {
            exchange.close();
            busy.exit(started);
        }
    }

    /**
     * {@code models.get}: a served model's description with the methods it supports, which the SDK reads into
     * {@code Model.supportedActions()}; any other id, shut-down ones included, 404 NOT_FOUND. Faults scripted under
     * {@link #MODEL_LOOKUP} answer first (a 503 while Gemini is unreachable, say).
     */
    private void handleModelGet(HttpExchange exchange, String apiVersion, String model)
            throws IOException, InterruptedException {
        lookups.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
        String apiKey = apiKey(exchange);
        if (apiKey == null || apiKey.isBlank()) {
            send(exchange, 403, responses.error(403, "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without established identity)."));
            return;
        }
        Fault fault = nextFault(MODEL_LOOKUP);
        if (fault != null && fault.kind() != Fault.Kind.HANG) {
            answer(exchange, MODEL_LOOKUP, json.createObjectNode(), fault);
            return;
        }
        pause(fault == null ? Duration.ZERO : fault.duration());
        ModelKind kind = served.get(model);
        if (kind == null) {
            send(exchange, 404, notFound(model, apiVersion, "get"));
            return;
        }
        send(exchange, 200, responses.model(model, kind == ModelKind.IMAGE));
    }

    /**
     * Google's answer for a model it does not serve. The generateContent wording is Google's own (as a shut-down
     * model answers it); the models.get one follows the same pattern.
     */
    private JsonNode notFound(String model, String apiVersion, String method) {
        return responses.error(404, "NOT_FOUND", "models/" + model + " is not found for API version " + apiVersion
                + ", or is not supported for " + method + ". Call ListModels to see the list of available models"
                + " and their supported methods.");
    }

    /**
     * The Files API: a resumable upload ({@code start}, then one {@code upload, finalize} chunk, which is how the
     * SDK sends anything under 8 MiB), then GET and DELETE of {@code /v1beta/files/{id}}. Unknown files get 403, as
     * Gemini answers. Faults scripted under {@link #FILES} apply to the upload's {@code start} call.
     */
    private void handleFiles(HttpExchange exchange, String path) throws IOException, InterruptedException {
        String apiKey = apiKey(exchange);
        if (apiKey == null || apiKey.isBlank()) {
            send(exchange, 403, responses.error(403, "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without established identity)."));
            return;
        }
        String method = exchange.getRequestMethod();
        if (path.equals(UPLOAD_PATH) && "POST".equals(method)) {
            String session = queryParameter(exchange, "upload_id");
            if (session == null) {
                startUpload(exchange);
            } else {
                finishUpload(exchange, session);
            }
            return;
        }
        Matcher file = FILE.matcher(path);
        if (!file.matches() || !("GET".equals(method) || "DELETE".equals(method))) {
            send(exchange, 404, responses.error(404, "NOT_FOUND", "Requested entity was not found."));
            return;
        }
        String name = file.group(1);
        var stored = files.get(name);
        if (stored.isEmpty()) {
            send(exchange, 403, responses.error(403, "PERMISSION_DENIED",
                    "You do not have permission to access the File " + name + " or it may not exist."));
            return;
        }
        if ("DELETE".equals(method)) {
            files.delete(name);
            send(exchange, 200, json.createObjectNode());
        } else {
            send(exchange, 200, files.resource(stored.get(), baseUrl()));
        }
    }

    /**
     * {@code POST /v1beta/files:register} {@code {"uris":["gs://bucket/object",…]}}: Cloud Storage objects become
     * files without their bytes passing through the caller. As on Gemini, this one Files call needs an OAuth access
     * token ({@code Authorization: Bearer …}) besides the API key: 401 without it. Each object must exist (read
     * from the storage emulator given by {@link #setStorageUrl}); the first that does not fails the whole call
     * with 404 NOT_FOUND and registers none. Faults scripted under {@link #FILES} apply here as to uploads.
     */
    private void handleRegister(HttpExchange exchange) throws IOException, InterruptedException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(in);
        } catch (JsonProcessingException e) {
            send(exchange, 400, responses.error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."));
            return;
        }
        String apiKey = apiKey(exchange);
        if (apiKey == null || apiKey.isBlank() || !"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 403, responses.error(403, "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without established identity)."));
            return;
        }
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!authorization.startsWith("Bearer ") || authorization.length() <= "Bearer ".length()) {
            send(exchange, 401, responses.error(401, "UNAUTHENTICATED", "Request is missing required authentication"
                    + " credential. Expected OAuth 2 access token, login cookie or other valid authentication"
                    + " credential."));
            return;
        }
        Fault fault = nextFault(FILES);
        if (fault != null && fault.kind() != Fault.Kind.HANG) {
            answer(exchange, FILES, body, fault);
            return;
        }
        pause(fault == null ? Duration.ZERO : fault.duration());
        StorageReader reader = storage;
        if (reader == null) {
            send(exchange, 400, responses.error(400, "FAILED_PRECONDITION",
                    "This emulator cannot read Cloud Storage: start it with --storage-url"));
            return;
        }
        List<StorageReader.ObjectInfo> objects = new java.util.ArrayList<>();
        for (JsonNode uri : body.path("uris")) {
            Optional<StorageReader.ObjectInfo> object;
            try {
                object = reader.describe(uri.asText(""));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, responses.error(400, "INVALID_ARGUMENT", e.getMessage()));
                return;
            }
            if (object.isEmpty()) {
                send(exchange, 404, responses.error(404, "NOT_FOUND", "Cloud Storage object " + uri.asText()
                        + " was not found or cannot be read by the Gemini API service agent."));
                return;
            }
            objects.add(object.get());
        }
        if (objects.isEmpty()) {
            send(exchange, 400, responses.error(400, "INVALID_ARGUMENT", "'uris' must name at least one object"));
            return;
        }
        ObjectNode answer = json.createObjectNode();
        var registered = answer.putArray("files");
        for (StorageReader.ObjectInfo object : objects) {
            registered.add(files.resource(files.register(object.gcsUri(), object.contentType(), object.size()),
                    baseUrl()));
        }
        send(exchange, 200, answer);
    }

    private void startUpload(HttpExchange exchange) throws IOException, InterruptedException {
        var headers = exchange.getRequestHeaders();
        JsonNode metadata;
        try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            metadata = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        }
        if (!String.valueOf(headers.getFirst("X-Goog-Upload-Command")).contains("start")) {
            send(exchange, 400, responses.error(400, "INVALID_ARGUMENT", "Expected X-Goog-Upload-Command: start"));
            return;
        }
        Fault fault = nextFault(FILES);
        if (fault != null && fault.kind() != Fault.Kind.HANG) {
            answer(exchange, FILES, metadata, fault);
            return;
        }
        pause(fault == null ? Duration.ZERO : fault.duration());
        String length = headers.getFirst("X-Goog-Upload-Header-Content-Length");
        String session;
        try {
            session = files.start(headers.getFirst("X-Goog-Upload-Header-Content-Type"),
                    length == null ? -1 : Long.parseLong(length.trim()), metadata);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, responses.error(400, "INVALID_ARGUMENT", e.getMessage()));
            return;
        }
        exchange.getResponseHeaders().set("X-Goog-Upload-URL",
                baseUrl() + UPLOAD_PATH + "?upload_id=" + session + "&upload_protocol=resumable");
        exchange.getResponseHeaders().set("X-Goog-Upload-Status", "active");
        send(exchange, 200, json.createObjectNode());
    }

    private void finishUpload(HttpExchange exchange, String session) throws IOException {
        String command = String.valueOf(exchange.getRequestHeaders().getFirst("X-Goog-Upload-Command"));
        byte[] bytes;
        try (InputStream body = exchange.getRequestBody()) {
            bytes = body.readAllBytes();
        }
        if (!command.contains("finalize")) {
            // The SDK sends files up to 8 MiB in one finalizing chunk; larger ones are not needed here.
            send(exchange, 400, responses.error(400, "INVALID_ARGUMENT",
                    "The emulator takes each upload as one 'upload, finalize' chunk"));
            return;
        }
        try {
            var stored = files.finish(session, bytes);
            if (stored.isEmpty()) {
                send(exchange, 404, responses.error(404, "NOT_FOUND", "No upload session " + session));
                return;
            }
            exchange.getResponseHeaders().set("X-Goog-Upload-Status", "final");
            ObjectNode body = json.createObjectNode();
            body.set("file", files.resource(stored.get(), baseUrl()));
            send(exchange, 200, body);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, responses.error(400, "INVALID_ARGUMENT", e.getMessage()));
        }
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void answer(HttpExchange exchange, String model, JsonNode request, Fault fault)
            throws IOException, InterruptedException {
        if (fault == null || fault.kind() == Fault.Kind.HANG) {
            pause(fault == null ? Duration.ZERO : fault.duration());
            answerNormally(exchange, model, request);
            return;
        }
        switch (fault.kind()) {
            case STATUS -> send(exchange, fault.code(), responses.error(fault.code(), fault.status(), fault.text()));
            case RATE_LIMITED -> {
                retryAfter(exchange, fault.duration());
                send(exchange, 429, responses.rateLimited(fault.text(), fault.duration()));
            }
            case UNAVAILABLE -> {
                retryAfter(exchange, fault.duration());
                send(exchange, 503, responses.error(503, fault.status(), fault.text()));
            }
            case PROMPT_BLOCKED -> send(exchange, 200, responses.promptBlocked(model, fault.text(), request));
            case FINISH_REASON -> send(exchange, 200, responses.finishedWithout(model, fault.text(), request));
            case NO_IMAGE -> send(exchange, 200, responses.textOnly(model, fault.text(), request));
            case BROKEN_IMAGE -> send(exchange, 200,
                    GeminiResponses.cutShort(responses.panel(model, request, renderWidth, panelBytes)));
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    private void answerNormally(HttpExchange exchange, String model, JsonNode request) throws IOException {
        if (served.get(model) == ModelKind.TEXT) {
            send(exchange, 200, responses.story(model, request));
            return;
        }
        ObjectNode panel;
        try {
            panel = responses.panel(model, request, renderWidth, panelBytes);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, responses.error(400, "INVALID_ARGUMENT", e.getMessage()));
            return;
        }
        send(exchange, 200, panel);
    }

    private Fault nextFault(String model) {
        Queue<Fault> queue = scripted.get(model);
        Fault next = queue == null ? null : queue.poll();
        return next != null ? next : always.get(model);
    }

    private void handleControl(HttpExchange exchange) {
        try {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (route) {
                case "POST /_emulator/faults" -> addFaults(json.readTree(exchange.getRequestBody()));
                case "DELETE /_emulator/faults" -> clearFaults();
                case "POST /_emulator/panel" ->
                        setPanelBytes(json.readTree(exchange.getRequestBody()).path("bytes").asInt(0));
                case "POST /_emulator/encoding" ->
                        setGzipAnswers(json.readTree(exchange.getRequestBody()).path("gzip").asBoolean(false));
                case "POST /_emulator/latency" ->
                        setLatency(Duration.ofMillis(json.readTree(exchange.getRequestBody()).path("ms").asLong(0)));
                case "DELETE /_emulator/calls" -> calls.clear();
                case "POST /_emulator/models" -> retire(json.readTree(exchange.getRequestBody()).path("retire").asText());
                case "GET /_emulator/files" -> {
                    ObjectNode body = json.createObjectNode();
                    files.names().forEach(body.putArray("files")::add);
                    var uploads = body.putArray("uploads");
                    files.uploads().forEach(upload -> uploads.addObject().put("name", upload.name())
                            .put("mimeType", upload.mimeType()).put("displayName", upload.displayName())
                            .put("sizeBytes", upload.size()));
                    files.registrations().forEach(body.putArray("registrations")::add);
                    send(exchange, 200, body);
                    return;
                }
                case "GET /_emulator/calls" -> {
                    send(exchange, 200, callSummary());
                    return;
                }
                default -> {
                    send(exchange, 404, responses.error(404, "NOT_FOUND", "No control endpoint " + route));
                    return;
                }
            }
            exchange.sendResponseHeaders(204, -1);
        } catch (IOException | RuntimeException e) {
            log.warn("Gemini emulator rejected control call {}: {}", exchange.getRequestURI(), e.toString());
            trySend(exchange, 400, responses.error(400, "INVALID_ARGUMENT", String.valueOf(e.getMessage())));
        } finally {
            exchange.close();
        }
    }

    private void addFaults(JsonNode body) {
        String model = body.path("model").asText("");
        if (model.isEmpty()) {
            throw new IllegalArgumentException("'model' is required");
        }
        Fault fault = Fault.fromJson(body.path("fault"));
        if (body.path("always").asBoolean(false)) {
            failAlways(model, fault);
            return;
        }
        for (int i = body.path("count").asInt(1); i > 0; i--) {
            enqueue(model, fault);
        }
    }

    private ObjectNode callSummary() {
        Map<String, Integer> perModel = new TreeMap<>();
        calls.forEach(call -> perModel.merge(call.model(), 1, Integer::sum));
        ObjectNode summary = json.createObjectNode();
        summary.put("total", calls.size());
        ObjectNode models = summary.putObject("models");
        perModel.forEach(models::put);
        summary.put("gzipped", gzipped.get());
        return busy.toJson(summary);
    }

    private static String apiKey(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("x-goog-api-key");
        return header != null ? header : queryParameter(exchange, "key");
    }

    private static void retryAfter(HttpExchange exchange, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        if (gzipAnswers && acceptsGzip(exchange)) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(status, 0); // chunked: a gzipped answer's length is not known up front
            try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody(), 64 * 1024)) {
                json.writeValue(out, body);
            }
            gzipped.incrementAndGet();
            return;
        }
        // Written twice, first only counted: the answer keeps its Content-Length, and a panel's base64 goes from
        // its cache to the socket without being copied into one more 8 MB array.
        CountingOutputStream counted = new CountingOutputStream();
        json.writeValue(counted, body);
        exchange.sendResponseHeaders(status, counted.count);
        try (OutputStream out = exchange.getResponseBody()) {
            json.writeValue(out, body);
        }
    }

    /** Counts what is written to it and keeps nothing. */
    private static final class CountingOutputStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }

    private static boolean acceptsGzip(HttpExchange exchange) {
        String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        return accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip");
    }

    private void trySend(HttpExchange exchange, int status, JsonNode body) {
        try {
            send(exchange, status, body);
        } catch (IOException | RuntimeException e) {
            log.debug("Gemini emulator could not send its error answer: {}", e.toString());
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "gemini-emulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs the emulator as its own process until it is killed. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        EmulatorOptions options = EmulatorOptions.parse(args);
        GeminiEmulator emulator = start(options.port());
        emulator.setLatency(Duration.ofMillis(options.latencyMs()));
        emulator.setRenderWidth(options.renderWidth());
        emulator.setPanelBytes(options.panelBytes());
        emulator.setGzipAnswers(options.gzip());
        if (options.storageUrl() != null) {
            emulator.setStorageUrl(options.storageUrl());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "gemini-emulator-shutdown"));
    }
}
