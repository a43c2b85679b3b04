package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds the JSON API's bucket, object and ACL resources, in the field names and string-encoded numbers Google uses. */
final class Resources {

  private static final Set<String> READ_ONLY_BUCKET_FIELDS =
      Set.of("kind", "id", "name", "selfLink", "projectNumber", "metageneration", "timeCreated", "updated", "etag");
  private static final String PROJECT_OWNERS = "project-owners-0";

  private Resources() {
  }

  static ObjectNode newBucket(ObjectNode body, String now) {
    String name = ObjectNames.checkBucket(body.path("name").asText(null));
    ObjectNode bucket = body.deepCopy();
    bucket.remove(READ_ONLY_BUCKET_FIELDS);
    bucket.put("kind", "storage#bucket");
    bucket.put("id", name);
    bucket.put("name", name);
    bucket.put("projectNumber", "0");
    bucket.put("metageneration", "1");
    bucket.put("timeCreated", now);
    bucket.put("updated", now);
    bucket.put("location", bucket.path("location").asText("US").toUpperCase(Locale.ROOT));
    bucket.put("storageClass", bucket.path("storageClass").asText("STANDARD"));
    ObjectNode iam = bucket.withObjectProperty("iamConfiguration");
    iam.withObjectProperty("uniformBucketLevelAccess").putIfAbsent("enabled", bucket.booleanNode(false));
    iam.putIfAbsent("publicAccessPrevention", bucket.textNode("inherited"));
    return bucket;
  }

  /** Applies a PATCH: named fields change, nested objects merge, arrays are replaced and JSON nulls remove a field. */
  static ObjectNode patchBucket(ObjectNode bucket, ObjectNode patch, String now) {
    ObjectNode changed = bucket.deepCopy();
    ObjectNode fields = patch.deepCopy();
    fields.remove(READ_ONLY_BUCKET_FIELDS);
    merge(changed, fields);
    changed.put("metageneration", String.valueOf(changed.path("metageneration").asLong(1) + 1));
    changed.put("updated", now);
    return changed;
  }

  static boolean uniformAccess(ObjectNode bucket) {
    return bucket.path("iamConfiguration").path("uniformBucketLevelAccess").path("enabled").asBoolean(false);
  }

  static ObjectNode object(ObjectMapper json, StoredObject o, String baseUrl) {
    String path = "/b/" + UrlPaths.encode(o.bucket()) + "/o/" + UrlPaths.encode(o.name());
    ObjectNode node = json.createObjectNode();
    node.put("kind", "storage#object");
    node.put("id", o.bucket() + "/" + o.name() + "/" + o.generation());
    node.put("selfLink", baseUrl + "/storage/v1" + path);
    node.put("mediaLink", baseUrl + "/download/storage/v1" + path + "?generation=" + o.generation() + "&alt=media");
    node.put("name", o.name());
    node.put("bucket", o.bucket());
    node.put("generation", String.valueOf(o.generation()));
    node.put("metageneration", String.valueOf(o.metageneration()));
    node.put("contentType", o.contentType());
    putIfPresent(node, "contentEncoding", o.contentEncoding());
    putIfPresent(node, "contentDisposition", o.contentDisposition());
    putIfPresent(node, "cacheControl", o.cacheControl());
    node.put("storageClass", "STANDARD");
    node.put("size", String.valueOf(o.size()));
    node.put("md5Hash", o.md5Hash());
    node.put("crc32c", o.crc32c());
    node.put("timeCreated", o.timeCreated());
    node.put("updated", o.updated());
    if (!o.metadata().isEmpty()) {
      ObjectNode metadata = node.putObject("metadata");
      o.metadata().forEach(metadata::put);
    }
    ArrayNode acl = node.putArray("acl");
    o.acl().forEach(entry -> acl.add(acl(json, o, entry)));
    return node;
  }

  static ObjectNode acl(ObjectMapper json, StoredObject o, AclEntry entry) {
    ObjectNode node = json.createObjectNode();
    node.put("kind", "storage#objectAccessControl");
    node.put("id", o.bucket() + "/" + o.name() + "/" + o.generation() + "/" + entry.entity());
    node.put("bucket", o.bucket());
    node.put("object", o.name());
    node.put("generation", String.valueOf(o.generation()));
    node.put("entity", entry.entity());
    node.put("role", entry.role());
    return node;
  }

  /** The grants a {@code predefinedAcl} upload parameter stands for; without one an object is private to the project. */
  static List<AclEntry> predefinedAcl(String predefinedAcl) {
    List<AclEntry> grants = new ArrayList<>(List.of(new AclEntry(PROJECT_OWNERS, AclEntry.OWNER)));
    if (predefinedAcl == null) {
      return grants;
    }
    switch (predefinedAcl) {
      case "publicRead" -> grants.add(new AclEntry(AclEntry.ALL_USERS, AclEntry.READER));
      case "authenticatedRead" -> grants.add(new AclEntry("allAuthenticatedUsers", AclEntry.READER));
      case "private", "projectPrivate", "bucketOwnerRead", "bucketOwnerFullControl" -> {
        // none of these lets anonymous readers in, so the owners' grant is all they add up to here
      }
      default -> throw ApiError.badRequest("Invalid predefinedAcl: " + predefinedAcl);
    }
    return grants;
  }

  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static void merge(ObjectNode target, ObjectNode patch) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      JsonNode current = target.get(field.getKey());
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject() && current instanceof ObjectNode currentObject) {
        merge(currentObject, (ObjectNode) value);
      } else {
        target.set(field.getKey(), value);
      }
    }
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
