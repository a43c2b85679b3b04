package emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One resumable upload: bytes are appended to a scratch file as chunks arrive, and the object is committed once the
 * client declares the total size and all of it has been received.
 */
final class ResumableSession {

  private final String bucket;
  private final ObjectDraft draft;
  private final Long ifGenerationMatch;
  private final ContentSink content;
  private StoredObject result;

  ResumableSession(String bucket, ObjectDraft draft, Long ifGenerationMatch, ContentSink content) {
    this.bucket = bucket;
    this.draft = draft;
    this.ifGenerationMatch = ifGenerationMatch;
    this.content = content;
  }

  /** What a PUT leaves behind: the finished object, or how many bytes are persisted so far. */
  record Progress(StoredObject object, long persisted) {
  }

  /**
   * Applies one PUT. {@code range} is the parsed {@code Content-Range}; bytes the session already holds (a client
   * resending after a lost response) are skipped rather than written twice.
   */
  synchronized Progress put(ContentRange range, InputStream body, ObjectStore store) throws IOException {
    if (result != null) {
      body.transferTo(OutputStream.nullOutputStream());
      return new Progress(result, result.size());
    }
    if (range.hasBytes()) {
      long persisted = content.size();
      if (range.first() > persisted) {
        body.transferTo(OutputStream.nullOutputStream());
        throw ApiError.badRequest("Invalid request. According to the Content-Range header, the upload offset is "
            + range.first() + " byte(s), which exceeds already uploaded size of " + persisted + " byte(s).");
      }
      skip(body, persisted - range.first());
      content.append(body);
    }
    Long total = range.wholeBody() ? Long.valueOf(content.size()) : range.total();
    if (total != null) {
      if (content.size() > total) {
        throw ApiError.badRequest("Received " + content.size() + " bytes, more than the declared " + total);
      }
      if (content.size() == total) {
        result = store.commit(bucket, draft, content, ifGenerationMatch);
        return new Progress(result, result.size());
      }
    }
    return new Progress(null, content.size());
  }

  void discard(ObjectStore store) {
    store.discard(content);
  }

  private static void skip(InputStream body, long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      long skipped = body.skip(left);
      if (skipped <= 0) {
        if (body.read() < 0) {
          return;
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
