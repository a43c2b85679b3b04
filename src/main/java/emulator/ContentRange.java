package emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resumable-upload {@code Content-Range}: {@code bytes A-B/N} or {@code bytes A-B/*} carry data, {@code bytes *}{@code
 * /N} finalizes at N bytes and {@code bytes *}{@code /*} only asks how much is persisted.
 */
record ContentRange(Long first, Long last, Long total, boolean wholeBody) {

  private static final Pattern HEADER = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

  static ContentRange parse(String header) {
    if (header == null || header.isBlank()) {
      // no header: the whole object in this one request, size unknown until its body ends
      return new ContentRange(0L, null, null, true);
    }
    Matcher m = HEADER.matcher(header.trim());
    if (!m.matches()) {
      throw ApiError.badRequest("Invalid Content-Range: " + header);
    }
    Long total = "*".equals(m.group(3)) ? null : Long.valueOf(m.group(3));
    if (m.group(1) == null) {
      return new ContentRange(null, null, total, false);
    }
    return new ContentRange(Long.valueOf(m.group(1)), Long.valueOf(m.group(2)), total, false);
  }

  boolean hasBytes() {
    return first != null;
  }
}
