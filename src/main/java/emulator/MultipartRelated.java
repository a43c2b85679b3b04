package emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/related} body part by part without holding it in memory, as a multipart upload sends it:
 * the object resource as JSON, then the media.
 */
final class MultipartRelated {

  private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"([^\"]+)\"|[^;\\s]+)");
  private static final byte[] CRLF = {'\r', '\n'};

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buffer = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean closed;
  private PartBody current = new PartBody();

  /** The body is read as if it began with CRLF, so the first boundary looks like every other delimiter. */
  MultipartRelated(InputStream in, String contentType) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
    buffer[0] = '\r';
    buffer[1] = '\n';
    limit = 2;
  }

  /** Moves to the next part and returns its headers (names in lower case), or null after the closing delimiter. */
  Map<String, String> nextPart() throws IOException {
    if (closed) {
      return null;
    }
    current.transferTo(OutputStream.nullOutputStream());
    fill(2);
    if (limit - pos >= 2 && buffer[pos] == '-' && buffer[pos + 1] == '-') {
      closed = true;
      return null;
    }
    readLine(); // the rest of the boundary line: optional padding, then CRLF
    Map<String, String> headers = new HashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    current = new PartBody();
    return headers;
  }

  /** The current part's bytes, ending just before the next delimiter. */
  InputStream body() {
    return current;
  }

  private static String boundary(String contentType) {
    Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
    if (m == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/") || !m.find()) {
      throw ApiError.badRequest("A multipart upload needs a multipart/related Content-Type with a boundary");
    }
    return m.group(2) != null ? m.group(2) : m.group(1);
  }

  /** Ensures at least {@code wanted} unread bytes are buffered unless the body ends first. */
  private void fill(int wanted) throws IOException {
    if (limit - pos >= wanted || eof) {
      return;
    }
    System.arraycopy(buffer, pos, buffer, 0, limit - pos);
    limit -= pos;
    pos = 0;
    while (limit < wanted && !eof) {
      int n = in.read(buffer, limit, buffer.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      fill(CRLF.length);
      if (limit - pos < CRLF.length) {
        throw ApiError.badRequest("Multipart body ended inside part headers");
      }
      if (buffer[pos] == '\r' && buffer[pos + 1] == '\n') {
        pos += 2;
        return line.toString();
      }
      line.append((char) (buffer[pos++] & 0xFF));
    }
  }

  private int indexOfDelimiter() {
    outer:
    for (int i = pos; i <= limit - delimiter.length; i++) {
      for (int j = 0; j < delimiter.length; j++) {
        if (buffer[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Streams one part; it keeps the last delimiter-length bytes buffered until it knows they are not the delimiter. */
  private final class PartBody extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      fill(delimiter.length);
      int at = indexOfDelimiter();
      if (at == pos) {
        pos += delimiter.length;
        done = true;
        return -1;
      }
      int safeEnd = at >= 0 ? at : limit - delimiter.length + 1;
      if (safeEnd <= pos) {
        throw ApiError.badRequest("Multipart body ended before its closing boundary");
      }
      int n = Math.min(len, safeEnd - pos);
      System.arraycopy(buffer, pos, target, off, n);
      pos += n;
      return n;
    }
  }
}
