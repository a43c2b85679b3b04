package emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Serves an object's bytes, whole or one {@code Range}, with the headers the client's reader takes metadata from. */
final class MediaResponses {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private MediaResponses() {
  }

  static void send(HttpExchange exchange, StoredObject object, Path file) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", object.contentType());
    headers.set("Accept-Ranges", "bytes");
    headers.set("x-goog-generation", String.valueOf(object.generation()));
    headers.set("x-goog-metageneration", String.valueOf(object.metageneration()));
    headers.set("x-goog-stored-content-length", String.valueOf(object.size()));
    headers.set("x-goog-stored-content-encoding",
        object.contentEncoding() == null ? "identity" : object.contentEncoding());
    headers.set("x-goog-hash", "crc32c=" + object.crc32c() + ",md5=" + object.md5Hash());
    headers.set("x-goog-storage-class", "STANDARD");
    if (object.contentDisposition() != null) {
      headers.set("Content-Disposition", object.contentDisposition());
    }
    if (object.cacheControl() != null) {
      headers.set("Cache-Control", object.cacheControl());
    }
    long size = object.size();
    long start = 0;
    long end = size - 1;
    int status = 200;
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range != null && size > 0) {
      Matcher m = RANGE.matcher(range.trim());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        throw ApiError.badRequest("Unsupported Range header: " + range);
      }
      if (m.group(1).isEmpty()) {
        start = Math.max(0, size - Long.parseLong(m.group(2)));
      } else {
        start = Long.parseLong(m.group(1));
        end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
      }
      if (start >= size || start > end) {
        headers.set("Content-Range", "bytes */" + size);
        throw new ApiError(416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied: " + range);
      }
      status = 206;
      headers.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    long length = end - start + 1;
    if ("HEAD".equals(exchange.getRequestMethod()) || length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, length);
    try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
      in.skipNBytes(start);
      copy(in, out, length);
    }
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("Object file is shorter than its recorded size");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }
}
