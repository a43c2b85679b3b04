package emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/** Streams upload bytes to a temporary file while computing the MD5 and CRC32C the JSON API reports. */
final class ContentSink implements AutoCloseable {

  private static final int BUFFER = 64 * 1024;

  private final Path file;
  private final OutputStream out;
  private final MessageDigest md5;
  private final CRC32C crc32c = new CRC32C();
  private long size;
  private String md5Base64;

  private ContentSink(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no MD5", e);
    }
  }

  static ContentSink create(Path file) {
    try {
      return new ContentSink(file, Files.newOutputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hashes of an existing file, for objects found on disk without a sidecar. */
  static ContentSink hashOf(Path source) throws IOException {
    try (InputStream in = Files.newInputStream(source);
        ContentSink sink = new ContentSink(source, OutputStream.nullOutputStream())) {
      sink.append(in);
      return sink;
    }
  }

  /** Copies {@code in} to the end; bytes read before a broken connection are kept, as a resumable session keeps them. */
  long append(InputStream in) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long copied = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      md5.update(buffer, 0, n);
      crc32c.update(buffer, 0, n);
      size += n;
      copied += n;
    }
    return copied;
  }

  long size() {
    return size;
  }

  Path file() {
    return file;
  }

  String md5Base64() {
    if (md5Base64 == null) {
      md5Base64 = Base64.getEncoder().encodeToString(md5.digest());
    }
    return md5Base64;
  }

  String crc32cBase64() {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array());
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
