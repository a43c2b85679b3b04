package emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metadata of one stored object; also the shape of its sidecar file, so an emulator restarted on the same folder
 * serves what it served before.
 */
record StoredObject(
    String bucket,
    String name,
    long generation,
    long metageneration,
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String cacheControl,
    long size,
    String md5Hash,
    String crc32c,
    String timeCreated,
    String updated,
    Map<String, String> metadata,
    List<AclEntry> acl) {

  StoredObject {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    acl = acl == null ? List.of() : List.copyOf(acl);
  }

  boolean isPublic() {
    return acl.stream().anyMatch(AclEntry::grantsPublicRead);
  }

  /** A copy with {@code entry} replacing any grant to the same entity, as objectAccessControls.insert does. */
  StoredObject withAcl(AclEntry entry, String now) {
    List<AclEntry> grants = new ArrayList<>(acl.stream().filter(a -> !a.entity().equals(entry.entity())).toList());
    grants.add(entry);
    return new StoredObject(bucket, name, generation, metageneration + 1, contentType, contentEncoding,
        contentDisposition, cacheControl, size, md5Hash, crc32c, timeCreated, now, metadata, grants);
  }
}
