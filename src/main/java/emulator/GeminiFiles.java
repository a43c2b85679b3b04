package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The emulator's Files API store: resumable upload sessions and the files they produced, by name ({@code files/…}).
 * Files live in memory until deleted, as on Gemini (where they would also expire after 48 hours).
 */
final class GeminiFiles {

    /** An upload started with {@code X-Goog-Upload-Command: start}, waiting for its bytes. */
    record Session(String mimeType, long declaredSize, String displayName) {
    }

    /**
     * A finished upload, or a registered Cloud Storage object ({@code gcsUri} set, {@code bytes} null: they are read
     * from storage when a model call needs them).
     */
    record StoredFile(String name, String mimeType, byte[] bytes, String displayName, Instant created, String gcsUri,
            long size) {

        StoredFile(String name, String mimeType, byte[] bytes, String displayName, Instant created) {
            this(name, mimeType, bytes, displayName, created, null, bytes.length);
        }

        boolean registered() {
            return gcsUri != null;
        }
    }

    private final ObjectMapper json;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    /** Every finished upload, kept after the file is deleted: what each photo was declared as to Gemini. */
    private final List<RecordedUpload> uploads = new CopyOnWriteArrayList<>();
    /** Every Cloud Storage object registered since the last reset, deleted files included. */
    private final List<String> registrations = new CopyOnWriteArrayList<>();

    /** Reads a registered object's bytes; none until the emulator is told where storage is. */
    private volatile java.util.function.Function<String, byte[]> gcsReader = uri -> new byte[0];

    GeminiFiles(ObjectMapper json) {
        this.json = json;
    }

    void gcsReader(java.util.function.Function<String, byte[]> reader) {
        this.gcsReader = reader;
    }

    /** A file's bytes: kept for an upload, read from storage for a registered object. */
    byte[] content(StoredFile file) {
        return file.registered() ? gcsReader.apply(file.gcsUri()) : file.bytes();
    }

    /** Opens an upload session; returns its id for the upload URL. */
    String start(String mimeType, long declaredSize, JsonNode metadata) {
        if (mimeType == null || mimeType.isBlank()) {
            throw new IllegalArgumentException("X-Goog-Upload-Header-Content-Type is required");
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        sessions.put(id, new Session(mimeType, declaredSize, metadata.path("file").path("displayName").asText("")));
        return id;
    }

    /** Stores the bytes of a session's single {@code upload, finalize} chunk; empty if the session is unknown. */
    Optional<StoredFile> finish(String sessionId, byte[] bytes) {
        Session session = sessions.remove(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        if (session.declaredSize() >= 0 && session.declaredSize() != bytes.length) {
            throw new IllegalArgumentException("Upload has " + bytes.length + " bytes, " + session.declaredSize()
                    + " were declared");
        }
        String name = "files/" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        StoredFile file = new StoredFile(name, session.mimeType(), bytes, session.displayName(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        files.put(name, file);
        uploads.add(new RecordedUpload(name, session.mimeType(), session.displayName(), bytes.length));
        return Optional.of(file);
    }

    /** Registers a Cloud Storage object as a file, without its bytes. */
    StoredFile register(String gcsUri, String mimeType, long size) {
        String name = "files/" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        StoredFile file = new StoredFile(name, mimeType, null, "", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                gcsUri, size);
        files.put(name, file);
        registrations.add(gcsUri);
        return file;
    }

    Optional<StoredFile> get(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** The file a {@code fileData.fileUri} points at ({@code …/v1beta/files/abc} or {@code files/abc}). */
    Optional<StoredFile> byUri(String uri) {
        int at = uri.lastIndexOf("files/");
        return at < 0 ? Optional.empty() : get(uri.substring(at));
    }

    boolean delete(String name) {
        return files.remove(name) != null;
    }

    List<String> names() {
        return files.keySet().stream().sorted().toList();
    }

    List<RecordedUpload> uploads() {
        return List.copyOf(uploads);
    }

    List<String> registrations() {
        return List.copyOf(registrations);
    }

    void clear() {
        sessions.clear();
        files.clear();
        uploads.clear();
        registrations.clear();
    }

    /** The File resource as the REST API returns it; the URI is under this emulator's base URL. */
    ObjectNode resource(StoredFile file, String baseUrl) {
        ObjectNode node = json.createObjectNode();
        node.put("name", file.name());
        if (!file.displayName().isEmpty()) {
            node.put("displayName", file.displayName());
        }
        node.put("mimeType", file.mimeType());
        node.put("sizeBytes", Long.toString(file.size()));
        node.put("createTime", file.created().toString());
        node.put("updateTime", file.created().toString());
        node.put("expirationTime", file.created().plus(48, ChronoUnit.HOURS).toString());
        node.put("uri", baseUrl + "/v1beta/" + file.name());
        node.put("state", "ACTIVE");
        node.put("source", file.registered() ? "REGISTERED" : "UPLOADED");
        return node;
    }
}
