package emulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Checks bucket and object names and maps an object name to its file, refusing any name that would leave the bucket folder. */
final class ObjectNames {

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");
  private static final int MAX_NAME_BYTES = 1024;

  private ObjectNames() {
  }

  static String checkBucket(String bucket) {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw ApiError.badRequest("Invalid bucket name: '" + bucket + "'");
    }
    return bucket;
  }

  /**
   * The file holding {@code name} under {@code bucketDir}. Names are stored as nested folders, so segments that a file
   * system cannot hold apart ({@code ..}, {@code .}, empty ones from {@code //} or a trailing {@code /}) are refused.
   */
  static Path resolve(Path bucketDir, String name) {
    if (name == null || name.isEmpty()) {
      throw ApiError.badRequest("Object name is required");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw ApiError.badRequest("Object name is longer than " + MAX_NAME_BYTES + " bytes");
    }
    if (name.chars().anyMatch(c -> c == 0 || c == '\\' || c == '\r' || c == '\n')) {
      throw ApiError.badRequest("Object name has a character this emulator cannot store: '" + name + "'");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw ApiError.badRequest("Object name has an empty, '.' or '..' segment: '" + name + "'");
      }
    }
    Path file = bucketDir.resolve(name).normalize();
    if (!file.startsWith(bucketDir) || file.equals(bucketDir)) {
      throw ApiError.badRequest("Object name escapes its bucket: '" + name + "'");
    }
    return file;
  }
}
