package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reading requests and writing responses the way the JSON API does, on the JDK HTTP server. */
final class Exchanges {

  static final ObjectMapper JSON = new ObjectMapper();

  private Exchanges() {
  }

  /** The method, honouring {@code X-HTTP-Method-Override}: the Java client sends PATCH as POST with that header. */
  static String method(HttpExchange exchange) {
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    return override != null && "POST".equals(exchange.getRequestMethod()) ? override : exchange.getRequestMethod();
  }

  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(key, value);
    }
    return params;
  }

  static Long longParam(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid value for " + name + ": " + value);
    }
  }

  /** The request body, inflated when the client gzipped it (google-api-client gzips bodies unless told not to). */
  static InputStream body(HttpExchange exchange) throws IOException {
    InputStream body = exchange.getRequestBody();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip") ? new GZIPInputStream(body) : body;
  }

  static ObjectNode jsonBody(HttpExchange exchange) throws IOException {
    try (InputStream body = body(exchange)) {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) {
        return JSON.createObjectNode();
      }
      if (!node.isObject()) {
        throw ApiError.badRequest("Expected a JSON object");
      }
      return (ObjectNode) node;
    }
  }

  /** Reads what is left of the body so the connection can be kept alive for the next request. */
  static void drain(HttpExchange exchange) throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
    }
  }

  /** {@code http://host:port} as the client addressed it, for links such as a resumable session URL. */
  static String baseUrl(HttpExchange exchange, String fallback) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    return host == null || host.isBlank() ? fallback : "http://" + host;
  }

  static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    send(exchange, status, bytes);
  }

  static void sendEmpty(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
  }

  static void sendError(HttpExchange exchange, ApiError error) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("code", error.status());
    inner.put("message", error.getMessage());
    inner.putArray("errors").addObject()
        .put("message", error.getMessage())
        .put("domain", "global")
        .put("reason", error.reason());
    sendJson(exchange, error.status(), body);
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
