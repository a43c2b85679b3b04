package ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a multipart/form-data body (RFC 7578, RFC 2046 §5.1) part by part straight from the request stream, so each
 * part can be written where it belongs without a copy in the heap.
 *
 * <p>Why not the servlet container's parser: Tomcat's reads the socket 4 KiB at a time, looks for the boundary a
 * byte at a time and writes 8 KiB at a time; for 4 MiB photos that was most of the API's CPU. This one reads 64 KiB
 * at a time, skips through the data with a Boyer-Moore-Horspool search for the delimiter (about one comparison per
 * delimiter length of photo bytes) and hands the caller slices as large as its buffer.
 */
public final class MultipartStreamReader {
    /** Large enough that file writes and delimiter searches are cheap per byte; one of these per request. */
    static final int BUFFER_SIZE = 64 * 1024;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DASH = '-';

    private final InputStream in;
    private final long maxBodyBytes;
    private final int maxHeaderBytes;
    /** {@code CRLF--boundary}: the delimiter that ends every part's body. */
    private final byte[] delimiter;
    /** Horspool's skip table: how far the search may jump when a byte is not where the delimiter's last byte is. */
    private final int[] skip = new int[256];
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;
    private long bodyBytes;
    private boolean endOfStream;
    private State state = State.PREAMBLE;

    private enum State { PREAMBLE, BODY, AFTER_DELIMITER, DONE }

    /**
     * @param boundary the {@code boundary} parameter of the request's Content-Type
     * @param maxBodyBytes the most bytes read from {@code in}; more is a {@link BodyTooLargeException}
     * @param maxHeaderBytes the most bytes of header lines one part may have
     */
    public MultipartStreamReader(InputStream in, String boundary, long maxBodyBytes, int maxHeaderBytes) {
        if (maxHeaderBytes + 4 > BUFFER_SIZE) {
            throw new IllegalArgumentException("Part headers must fit in the read buffer");
        }
        this.in = in;
        this.maxBodyBytes = maxBodyBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        java.util.Arrays.fill(skip, delimiter.length);
        for (int i = 0; i < delimiter.length - 1; i++) {
            skip[delimiter[i] & 0xff] = delimiter.length - 1 - i;
        }
        // The first boundary may start the body with no CRLF before it; a CRLF in front lets one search find both.
        buffer[0] = CR;
        buffer[1] = LF;
        limit = 2;
    }

    /**
     * Moves to the next part, skipping whatever of the current one was not read, and returns its headers; null after
     * the closing delimiter.
     */
    public PartHeaders nextPart() throws IOException {
        if (state == State.PREAMBLE || state == State.BODY) {
            copyUntilDelimiter(OutputStream.nullOutputStream(), Long.MAX_VALUE);
        }
        if (state == State.DONE) {
            return null;
        }
        require(2, "the body ended after a boundary");
        if (buffer[position] == DASH && buffer[position + 1] == DASH) {
            state = State.DONE;
            return null;
        }
        skipTransportPadding();
        List<String> lines = readHeaderLines();
        state = State.BODY;
        return PartHeaders.parse(lines);
    }

    /**
     * Copies the current part's body to {@code out} and returns its length.
     *
     * @throws PartTooLargeException as soon as it is longer than {@code maxBytes}; at most {@code maxBytes} were written
     */
    public long transferBody(OutputStream out, long maxBytes) throws IOException {
        if (state != State.BODY) {
            throw new IllegalStateException("No part to read: call nextPart() first");
        }
        return copyUntilDelimiter(out, maxBytes);
    }

    private long copyUntilDelimiter(OutputStream out, long maxBytes) throws IOException {
        long copied = 0;
        while (true) {
            int found = indexOfDelimiter();
            // Without a match, the last delimiter-length-1 bytes may be the start of one: keep them for the next search.
            int end = found >= 0 ? found : Math.max(position, limit - (delimiter.length - 1));
            int length = end - position;
            if (copied + length > maxBytes) {
                out.write(buffer, position, (int) (maxBytes - copied));
                throw new PartTooLargeException(maxBytes);
            }
            out.write(buffer, position, length);
            copied += length;
            position = end;
            if (found >= 0) {
                position += delimiter.length;
                state = State.AFTER_DELIMITER;
                return copied;
            }
            if (!fill()) {
                throw new MalformedMultipartException("the body ended before the closing boundary");
            }
        }
    }

    /** Boyer-Moore-Horspool over the unread bytes; the index of the first delimiter, or -1. */
    private int indexOfDelimiter() {
        int last = delimiter.length - 1;
        byte lastByte = delimiter[last];
        int i = position;
        while (i + last < limit) {
            byte b = buffer[i + last];
            if (b == lastByte && matchesAt(i)) {
                return i;
            }
            i += skip[b & 0xff];
        }
        return -1;
    }

    private boolean matchesAt(int at) {
        for (int k = delimiter.length - 2; k >= 0; k--) {
            if (buffer[at + k] != delimiter[k]) {
                return false;
            }
        }
        return true;
    }

    /** RFC 2046 allows spaces and tabs between a boundary and its CRLF. */
    private void skipTransportPadding() throws IOException {
        while (true) {
            require(1, "the body ended after a boundary");
            byte b = buffer[position];
            if (b != ' ' && b != '\t') {
                break;
            }
            position++;
        }
        require(2, "the body ended after a boundary");
        if (buffer[position] != CR || buffer[position + 1] != LF) {
            throw new MalformedMultipartException("a boundary is not followed by a line break");
        }
        position += 2;
    }

    private List<String> readHeaderLines() throws IOException {
        List<String> lines = new ArrayList<>();
        int headerBytes = 0;
        while (true) {
            int end = indexOfCrlf();
            while (end < 0) {
                if (limit - position > maxHeaderBytes - headerBytes) {
                    throw tooLongHeaders();
                }
                if (!fill()) {
                    throw new MalformedMultipartException("the body ended inside a part's headers");
                }
                end = indexOfCrlf();
            }
            int length = end - position;
            headerBytes += length + 2;
            if (headerBytes > maxHeaderBytes) {
                throw tooLongHeaders();
            }
            String line = new String(buffer, position, length, StandardCharsets.UTF_8);
            position = end + 2;
            if (line.isEmpty()) {
                return lines;
            }
            lines.add(line);
        }
    }

    private MalformedMultipartException tooLongHeaders() {
        return new MalformedMultipartException("a part's headers are longer than " + maxHeaderBytes + " bytes");
    }

    private int indexOfCrlf() {
        for (int i = position; i + 1 < limit; i++) {
            if (buffer[i] == CR && buffer[i + 1] == LF) {
                return i;
            }
        }
        return -1;
    }

    private void require(int bytes, String problem) throws IOException {
        while (limit - position < bytes) {
            if (!fill()) {
                throw new MalformedMultipartException(problem);
            }
        }
    }

    /**
     * Keeps the unread bytes and reads until the buffer is full or the stream ends; false when nothing more came.
     * Filling it whole (a request body always ends) keeps every write and search large.
     */
    private boolean fill() throws IOException {
        if (endOfStream) {
            return false;
        }
        int unread = limit - position;
        System.arraycopy(buffer, position, buffer, 0, unread);
        position = 0;
        limit = unread;
        int before = limit;
        while (limit < buffer.length) {
            int n;
            try {
                n = in.read(buffer, limit, buffer.length - limit);
            } catch (IOException e) {
                throw new MalformedMultipartException("the request body could not be read (" + e.getMessage() + ")", e);
            }
            if (n < 0) {
                endOfStream = true;
                break;
            }
            limit += n;
            bodyBytes += n;
            if (bodyBytes > maxBodyBytes) {
                throw new BodyTooLargeException(maxBodyBytes);
            }
        }
        return limit > before;
    }

    /** The body does not follow multipart/form-data's syntax, or could not be read. */
    public static final class MalformedMultipartException extends IOException {
        MalformedMultipartException(String problem) {
            super(problem);
        }

        MalformedMultipartException(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /** One part is longer than the caller allowed. */
    public static final class PartTooLargeException extends IOException {
        PartTooLargeException(long maxBytes) {
            super("a part is longer than " + maxBytes + " bytes");
        }
    }

    /** The body as a whole is longer than allowed. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long maxBytes) {
            super("the body is longer than " + maxBytes + " bytes");
        }
    }
}
