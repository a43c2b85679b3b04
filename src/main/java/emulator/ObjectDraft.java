package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What an upload says about the object it creates, before the bytes and the generation are known. */
record ObjectDraft(
    String name,
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String cacheControl,
    Map<String, String> metadata,
    List<AclEntry> acl) {

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  /**
   * Reads the object resource sent with an upload; {@code name} and {@code contentType} from the request (query,
   * headers) fill in what the resource leaves out.
   */
  static ObjectDraft of(JsonNode resource, String name, String contentType, List<AclEntry> acl) {
    return new ObjectDraft(
        text(resource, "name", name),
        text(resource, "contentType", contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType),
        text(resource, "contentEncoding", null),
        text(resource, "contentDisposition", null),
        text(resource, "cacheControl", null),
        Resources.stringMap(resource.path("metadata")),
        acl);
  }

  StoredObject toObject(String bucket, long generation, ContentSink content, String now) {
    return new StoredObject(bucket, name, generation, 1, contentType, contentEncoding, contentDisposition,
        cacheControl, content.size(), content.md5Base64(), content.crc32cBase64(), now, now, metadata, acl);
  }

  private static String text(JsonNode resource, String field, String fallback) {
    JsonNode value = resource.get(field);
    return value == null || value.isNull() ? fallback : value.asText();
  }
}
