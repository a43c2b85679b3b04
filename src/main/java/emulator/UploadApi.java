package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /upload/storage/v1/b/{bucket}/o}: the three upload kinds the Java client uses. {@code uploadType=multipart}
 * ({@code storage.create(info, bytes)}), {@code uploadType=resumable} to open a session ({@code createFrom},
 * {@code writer}) and PUTs with {@code upload_id} carrying its chunks; {@code uploadType=media} for completeness.
 */
final class UploadApi {

  private final ObjectStore store;
  private final String baseUrl;
  private final Map<String, ResumableSession> sessions = new ConcurrentHashMap<>();

  UploadApi(ObjectStore store, String baseUrl) {
    this.store = store;
    this.baseUrl = baseUrl;
  }

  void handle(HttpExchange exchange, String method, String bucket) throws IOException {
    Map<String, String> query = Exchanges.query(exchange);
    String uploadId = query.get("upload_id");
    if (uploadId != null && ("PUT".equals(method) || "POST".equals(method))) {
      chunk(exchange, uploadId);
      return;
    }
    if (uploadId != null && "DELETE".equals(method)) {
      cancel(exchange, uploadId);
      return;
    }
    if (!"POST".equals(method)) {
      throw new ApiError(405, "methodNotAllowed", method + " is not supported on uploads");
    }
    store.bucket(bucket);
    String uploadType = query.getOrDefault("uploadType", "");
    switch (uploadType) {
      case "multipart" -> multipart(exchange, bucket, query);
      case "media" -> media(exchange, bucket, query);
      case "resumable" -> open(exchange, bucket, query);
      default -> throw ApiError.badRequest("Unsupported uploadType: '" + uploadType + "'");
    }
  }

  /** Abandons sessions still open, deleting their scratch files. */
  void close() {
    sessions.values().forEach(session -> session.discard(store));
    sessions.clear();
  }

  private void multipart(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
    try (InputStream body = Exchanges.body(exchange)) {
      MultipartRelated parts = new MultipartRelated(body, exchange.getRequestHeaders().getFirst("Content-Type"));
      if (parts.nextPart() == null) {
        throw ApiError.badRequest("A multipart upload needs the object resource as its first part");
      }
      JsonNode resource = Exchanges.JSON.readTree(parts.body());
      Map<String, String> mediaHeaders = parts.nextPart();
      if (mediaHeaders == null) {
        throw ApiError.badRequest("A multipart upload needs the media as its second part");
      }
      ObjectDraft draft = draft(bucket, resource, query, mediaHeaders.get("content-type"));
      store(exchange, bucket, draft, query, parts.body());
    }
  }

  private void media(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
    ObjectDraft draft = draft(bucket, Exchanges.JSON.createObjectNode(), query,
        exchange.getRequestHeaders().getFirst("Content-Type"));
    try (InputStream body = Exchanges.body(exchange)) {
      store(exchange, bucket, draft, query, body);
    }
  }

  private void store(HttpExchange exchange, String bucket, ObjectDraft draft, Map<String, String> query,
      InputStream media) throws IOException {
    ContentSink content = store.newUpload();
    try {
      content.append(media);
    } catch (IOException | RuntimeException e) {
      store.discard(content);
      throw e;
    }
    StoredObject object = store.commit(bucket, draft, content, Exchanges.longParam(query, "ifGenerationMatch"));
    Exchanges.sendJson(exchange, 200, Resources.object(Exchanges.JSON, object, Exchanges.baseUrl(exchange, baseUrl)));
  }

  /** Opens a session; its URL goes back in {@code Location} and the client PUTs every chunk there. */
  private void open(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
    ObjectNode resource = Exchanges.jsonBody(exchange);
    ObjectDraft draft = draft(bucket, resource, query, exchange.getRequestHeaders().getFirst("X-Upload-Content-Type"));
    String uploadId = UUID.randomUUID().toString().replace("-", "");
    sessions.put(uploadId, new ResumableSession(bucket, draft, Exchanges.longParam(query, "ifGenerationMatch"),
        store.newUpload()));
    exchange.getResponseHeaders().set("Location", Exchanges.baseUrl(exchange, baseUrl) + "/upload/storage/v1/b/"
        + UrlPaths.encode(bucket) + "/o?uploadType=resumable&upload_id=" + uploadId);
    Exchanges.sendEmpty(exchange, 200);
  }

  private void chunk(HttpExchange exchange, String uploadId) throws IOException {
    ResumableSession session = session(exchange, uploadId);
    ContentRange range = ContentRange.parse(exchange.getRequestHeaders().getFirst("Content-Range"));
    ResumableSession.Progress progress;
    try (InputStream body = Exchanges.body(exchange)) {
      progress = session.put(range, body, store);
    } catch (ApiError e) {
      if (e.status() == 412 || e.status() == 409) {
        sessions.remove(uploadId);
        session.discard(store);
      }
      throw e;
    }
    if (progress.object() != null) {
      Exchanges.sendJson(exchange, 200,
          Resources.object(Exchanges.JSON, progress.object(), Exchanges.baseUrl(exchange, baseUrl)));
      return;
    }
    if (progress.persisted() > 0) {
      // the client reads this inclusive range to learn where to resume
      exchange.getResponseHeaders().set("Range", "bytes=0-" + (progress.persisted() - 1));
    }
    Exchanges.sendEmpty(exchange, 308);
  }

  private void cancel(HttpExchange exchange, String uploadId) throws IOException {
    ResumableSession session = session(exchange, uploadId);
    sessions.remove(uploadId);
    session.discard(store);
    Exchanges.sendEmpty(exchange, 499);
  }

  private ResumableSession session(HttpExchange exchange, String uploadId) throws IOException {
    ResumableSession session = sessions.get(uploadId);
    if (session == null) {
      Exchanges.drain(exchange);
      throw ApiError.notFound("No such upload session: " + uploadId);
    }
    return session;
  }

  private ObjectDraft draft(String bucket, JsonNode resource, Map<String, String> query, String contentType) {
    String predefinedAcl = query.get("predefinedAcl");
    if (predefinedAcl != null && Resources.uniformAccess(store.bucket(bucket))) {
      throw ApiError.badRequest("Cannot insert legacy ACL for an object when uniform bucket-level access is enabled.");
    }
    List<AclEntry> acl = Resources.predefinedAcl(predefinedAcl);
    ObjectDraft draft = ObjectDraft.of(resource, query.get("name"), contentType, acl);
    store.path(bucket, draft.name());
    return draft;
  }
}
