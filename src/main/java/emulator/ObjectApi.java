package emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/** {@code /storage/v1/b/{bucket}/o[/{object}[/acl]]} and media downloads: get, list, delete and object ACLs. */
final class ObjectApi {

  private static final int MAX_PAGE = 1000;

  private final ObjectStore store;
  private final String baseUrl;

  ObjectApi(ObjectStore store, String baseUrl) {
    this.store = store;
    this.baseUrl = baseUrl;
  }

  void list(HttpExchange exchange, String method, String bucket) throws IOException {
    if (!"GET".equals(method)) {
      throw new ApiError(405, "methodNotAllowed", method + " is not supported on an object list");
    }
    Map<String, String> query = Exchanges.query(exchange);
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.getOrDefault("delimiter", "");
    Long maxResults = Exchanges.longParam(query, "maxResults");
    int pageSize = maxResults == null || maxResults <= 0 ? MAX_PAGE : (int) Math.min(maxResults, MAX_PAGE);
    String token = query.get("pageToken");
    String cursor = token == null || token.isEmpty() ? prefix : decodeToken(token);
    boolean inclusive = true;

    NavigableMap<String, StoredObject> objects = store.objects(bucket);
    ObjectNode page = Exchanges.JSON.createObjectNode().put("kind", "storage#objects");
    ArrayNode items = page.putArray("items");
    Set<String> prefixes = new LinkedHashSet<>();
    String base = Exchanges.baseUrl(exchange, baseUrl);
    while (true) {
      String name = inclusive ? objects.ceilingKey(cursor) : objects.higherKey(cursor);
      if (name == null || !name.startsWith(prefix)) {
        break;
      }
      if (items.size() + prefixes.size() == pageSize) {
        page.put("nextPageToken", encodeToken(name));
        break;
      }
      int cut = delimiter.isEmpty() ? -1 : name.indexOf(delimiter, prefix.length());
      if (cut >= 0) {
        String folder = name.substring(0, cut + delimiter.length());
        prefixes.add(folder);
        // everything under this folder is summed up by the prefix: skip past it
        cursor = folder + Character.MAX_VALUE;
        inclusive = true;
      } else {
        StoredObject object = objects.get(name);
        if (object != null) {
          items.add(Resources.object(Exchanges.JSON, object, base));
        }
        cursor = name;
        inclusive = false;
      }
    }
    if (!prefixes.isEmpty()) {
      prefixes.forEach(page.putArray("prefixes")::add);
    }
    Exchanges.sendJson(exchange, 200, page);
  }

  void object(HttpExchange exchange, String method, String bucket, String name) throws IOException {
    Map<String, String> query = Exchanges.query(exchange);
    switch (method) {
      case "GET", "HEAD" -> {
        StoredObject object = current(bucket, name, query);
        if ("media".equals(query.get("alt"))) {
          MediaResponses.send(exchange, object, store.file(object));
        } else {
          Exchanges.sendJson(exchange, 200, Resources.object(Exchanges.JSON, object, Exchanges.baseUrl(exchange, baseUrl)));
        }
      }
      case "DELETE" -> {
        current(bucket, name, query);
        store.delete(bucket, name, Exchanges.longParam(query, "ifGenerationMatch"));
        Exchanges.sendEmpty(exchange, 204);
      }
      default -> throw new ApiError(405, "methodNotAllowed", method + " is not supported on an object here");
    }
  }

  void acl(HttpExchange exchange, String method, String bucket, String name) throws IOException {
    StoredObject object = current(bucket, name, Exchanges.query(exchange));
    switch (method) {
      case "GET" -> {
        ObjectNode list = Exchanges.JSON.createObjectNode().put("kind", "storage#objectAccessControls");
        ArrayNode items = list.putArray("items");
        object.acl().forEach(entry -> items.add(Resources.acl(Exchanges.JSON, object, entry)));
        Exchanges.sendJson(exchange, 200, list);
      }
      case "POST" -> {
        if (Resources.uniformAccess(store.bucket(bucket))) {
          throw ApiError.badRequest("Cannot use ACL API to update object policy when uniform bucket-level access"
              + " is enabled on bucket " + bucket);
        }
        ObjectNode body = Exchanges.jsonBody(exchange);
        AclEntry entry = new AclEntry(body.path("entity").asText(""), body.path("role").asText(""));
        if (entry.entity().isEmpty() || entry.role().isEmpty()) {
          throw ApiError.badRequest("An ACL entry needs an entity and a role");
        }
        StoredObject changed = store.replace(object.withAcl(entry, ObjectStore.now()));
        Exchanges.sendJson(exchange, 200, Resources.acl(Exchanges.JSON, changed, entry));
      }
      default -> throw new ApiError(405, "methodNotAllowed", method + " is not supported on object ACLs");
    }
  }

  /** The object, if the request's {@code generation} and {@code ifGenerationMatch} (when given) name its generation. */
  private StoredObject current(String bucket, String name, Map<String, String> query) {
    StoredObject object = store.object(bucket, name);
    Long generation = Exchanges.longParam(query, "generation");
    if (generation != null && generation != object.generation()) {
      throw ApiError.notFound("No such object: " + bucket + "/" + name + "#" + generation);
    }
    Long ifGenerationMatch = Exchanges.longParam(query, "ifGenerationMatch");
    if (ifGenerationMatch != null && ifGenerationMatch != object.generation()) {
      throw ApiError.preconditionFailed("At least one of the pre-conditions you specified did not hold.");
    }
    return object;
  }

  private static String encodeToken(String name) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("Invalid pageToken");
    }
  }
}
