package emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request: the JSON API under {@code /storage/v1}, uploads under {@code /upload}, media under
 * {@code /download}, fault control under {@code /_emulator}, and anything else as a public URL
 * {@code /{bucket}/{object}}. Injected faults apply before routing.
 */
final class EmulatorHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(EmulatorHandler.class);

  private final ObjectStore store;
  private final BucketApi buckets;
  private final ObjectApi objects;
  private final UploadApi uploads;
  private final Faults faults;
  private final RequestLog requests;
  private final BusyClock busy = new BusyClock();
  private volatile Duration latency = Duration.ZERO;

  EmulatorHandler(ObjectStore store, UploadApi uploads, String baseUrl, Faults faults, RequestLog requests) {
    this.store = store;
    this.buckets = new BucketApi(store);
    this.objects = new ObjectApi(store, baseUrl);
    this.uploads = uploads;
    this.faults = faults;
    this.requests = requests;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = Exchanges.method(exchange);
    String rawPath = exchange.getRequestURI().getRawPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String target = rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    try {
      if (rawPath.startsWith("/_emulator/")) {
        control(exchange, method, rawPath);
        return;
      }
      long started = busy.enter();
      try {
        requests.record(method, target);
        serve(exchange, method, rawPath, target);
      } finally {
        busy.exit(started);
      }
    } catch (ApiError e) {
      respondWith(exchange, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // mostly a client that hung up (a read timeout); nothing is left to answer
      log.debug("{} {} failed: {}", method, target, e.toString());
    } catch (RuntimeException e) {
      log.error("{} {} failed", method, target, e);
      respondWith(exchange, new ApiError(500, "internalError", "Emulator error: " + e));
    } finally {
      exchange.close();
    }
  }

  /** Every storage request waits {@code latency} first, as a remote service would; 0 (the default) adds nothing. */
  void setLatency(Duration latency) {
    this.latency = latency;
  }

  private void serve(HttpExchange exchange, String method, String rawPath, String target)
      throws IOException, InterruptedException {
    if (!latency.isZero()) {
      Thread.sleep(latency.toMillis());
    }
    Optional<Faults.Fault> fault = faults.take(method, target);
    if (fault.isPresent() && fault.get().isDelay()) {
      Thread.sleep(fault.get().delay().toMillis());
    } else if (fault.isPresent()) {
      Exchanges.drain(exchange);
      String message = fault.get().message();
      throw ApiError.ofStatus(fault.get().status(),
          message != null ? message : "Injected fault for " + method + " " + target);
    }
    route(exchange, method, rawPath);
  }

  private void route(HttpExchange exchange, String method, String rawPath) throws IOException {
    String[] s = Arrays.stream(rawPath.split("/")).filter(part -> !part.isEmpty()).toArray(String[]::new);
    if (startsWith(s, "upload", "storage", "v1", "b") && s.length == 6 && "o".equals(s[5])) {
      uploads.handle(exchange, method, UrlPaths.decode(s[4]));
    } else if (startsWith(s, "download", "storage", "v1", "b") && s.length >= 7 && "o".equals(s[5])) {
      objects.object(exchange, method, UrlPaths.decode(s[4]), objectName(s, 6, s.length));
    } else if (startsWith(s, "storage", "v1", "b")) {
      api(exchange, method, s);
    } else if (s.length >= 2 && ("GET".equals(method) || "HEAD".equals(method))) {
      publicObject(exchange, UrlPaths.decode(s[0]), objectName(s, 1, s.length));
    } else {
      throw ApiError.notFound("Not found: " + method + " " + rawPath);
    }
  }

  private void api(HttpExchange exchange, String method, String[] s) throws IOException {
    if (s.length == 3) {
      buckets.collection(exchange, method);
      return;
    }
    String bucket = UrlPaths.decode(s[3]);
    if (s.length == 4) {
      buckets.bucket(exchange, method, bucket);
    } else if (s.length == 5 && "o".equals(s[4])) {
      objects.list(exchange, method, bucket);
    } else if (s.length == 7 && "o".equals(s[4]) && "acl".equals(s[6])) {
      objects.acl(exchange, method, bucket, UrlPaths.decode(s[5]));
    } else if (s.length >= 6 && "o".equals(s[4])) {
      objects.object(exchange, method, bucket, objectName(s, 5, s.length));
    } else {
      throw ApiError.notFound("Not found: " + String.join("/", s));
    }
  }

  /** Like storage.googleapis.com: anyone may read an object an ACL makes public; everyone else gets 403. */
  private void publicObject(HttpExchange exchange, String bucket, String name) throws IOException {
    StoredObject object = store.object(bucket, name);
    if (!object.isPublic() || Resources.uniformAccess(store.bucket(bucket))) {
      throw ApiError.forbidden("Anonymous caller does not have storage.objects.get access to " + bucket + "/" + name);
    }
    MediaResponses.send(exchange, object, store.file(object));
  }

  private void control(HttpExchange exchange, String method, String rawPath) throws IOException {
    switch (method + " " + rawPath) {
      case "POST /_emulator/faults" -> {
        ObjectNode body = Exchanges.jsonBody(exchange);
        String faultMethod = body.path("method").asText("*");
        String path = body.path("path").asText("");
        int times = body.path("times").asInt(1);
        if (body.has("delayMillis")) {
          faults.hang(faultMethod, path, Duration.ofMillis(body.get("delayMillis").asLong()), times);
        } else {
          faults.fail(faultMethod, path, body.path("status").asInt(503), times);
        }
        Exchanges.sendEmpty(exchange, 204);
      }
      case "DELETE /_emulator/faults" -> {
        faults.clear();
        Exchanges.sendEmpty(exchange, 204);
      }
      case "GET /_emulator/requests" ->
          Exchanges.sendJson(exchange, 200, busy.toJson(Exchanges.JSON.createObjectNode().put("total", requests.total())));
      case "POST /_emulator/latency" -> {
        setLatency(Duration.ofMillis(Exchanges.jsonBody(exchange).path("ms").asLong(0)));
        Exchanges.sendEmpty(exchange, 204);
      }
      default -> throw ApiError.notFound("Not found: " + method + " " + rawPath);
    }
  }

  private static void respondWith(HttpExchange exchange, ApiError error) {
    try {
      Exchanges.sendError(exchange, error);
    } catch (IOException | IllegalStateException e) {
      // headers already sent or the client is gone: the status cannot change any more
      log.debug("Could not send {} error: {}", error.status(), e.toString());
    }
  }

  private static boolean startsWith(String[] segments, String... prefix) {
    if (segments.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (!prefix[i].equals(segments[i])) {
        return false;
      }
    }
    return true;
  }

  /** The client sends a name as one segment with {@code /} as %2F; public URLs keep the slashes, so join the rest. */
  private static String objectName(String[] segments, int from, int to) {
    StringBuilder name = new StringBuilder();
    for (int i = from; i < to; i++) {
      name.append(i > from ? "/" : "").append(UrlPaths.decode(segments[i]));
    }
    return name.toString();
  }
}
