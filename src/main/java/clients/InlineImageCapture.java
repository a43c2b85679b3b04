package clients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Decodes the panel once, straight off the wire. A 2K panel arrives as ~8 MB of base64 inside the JSON answer; the
 * SDK would read it into a String, parse that into a tree (another copy, twice as wide while it is built) and only
 * then decode it. While a call runs inside {@link #capturing}, this interceptor reads a successful JSON answer once,
 * byte by byte for its structure, decodes every {@code inlineData.data} in 4-aligned blocks with the JDK's decoder as
 * it passes ({@link StreamedBase64}: Jackson's per-character base64 was half of the worker's CPU), keeps the images of
 * at least {@link #MIN_CAPTURED} bytes for the caller, and hands the SDK the same answer with a short marker in their
 * place; the base64 text is never held whole, only the decoded bytes, in an array sized from the answer's length;
 * the SDK then checks and maps a few kilobytes. {@link #resolve} swaps a marker back for its bytes. Other calls,
 * errors and small images pass unchanged. OkHttp runs a synchronous call's interceptors on the caller's thread
 * (as {@link RetryAfterCapture} relies on too), so the captured bytes stay with the call that asked for them.
 */
final class InlineImageCapture implements Interceptor {

    /** Images below this stay inline: interim thought sketches, small test panels. */
    static final int MIN_CAPTURED = 64 * 1024;
    private static final byte[] MARK = "panel-one:captured-inline-data:".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<List<byte[]>> CAPTURED = new ThreadLocal<>();

    /** Runs a call with capture on for this thread; {@link #resolve} works on its answer until it returns. */
    static <T> T capturing(Supplier<T> call) {
        List<byte[]> previous = CAPTURED.get();
        CAPTURED.set(new ArrayList<>());
        try {
            return call.get();
        } finally {
            if (previous == null) {
                CAPTURED.remove();
            } else {
                CAPTURED.set(previous);
            }
        }
    }

    /** The bytes a marker stands for; anything else as it is. */
    static byte[] resolve(byte[] data) {
        List<byte[]> captured = CAPTURED.get();
        if (captured == null || data.length <= MARK.length || !Arrays.equals(data, 0, MARK.length, MARK, 0,
                MARK.length)) {
            return data;
        }
        int index = Integer.parseInt(new String(data, MARK.length, data.length - MARK.length,
                StandardCharsets.US_ASCII));
        return captured.get(index);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        List<byte[]> captured = CAPTURED.get();
        ResponseBody body = response.body();
        if (captured == null || !response.isSuccessful() || body == null || body.contentType() == null
                || !"json".equalsIgnoreCase(body.contentType().subtype())) {
            return response;
        }
        MediaType type = body.contentType();
        byte[] rewritten;
        try (body; InputStream in = body.byteStream()) {
            rewritten = rewrite(in, body.contentLength(), captured);
        }
        return response.newBuilder()
                .header("Content-Length", Integer.toString(rewritten.length))
                .body(ResponseBody.create(rewritten, type))
                .build();
    }

    /** The answer with every large {@code inlineData.data} decoded into {@code captured} and a marker left. */
    static byte[] rewrite(InputStream in, List<byte[]> captured) throws IOException {
        return rewrite(in, -1, captured);
    }

    /**
     * The answer with every large {@code inlineData.data} decoded into {@code captured} and a marker left;
     * {@code length} is the answer's Content-Length, or negative when unknown: it bounds each image's size.
     */
    static byte[] rewrite(InputStream in, long length, List<byte[]> captured) throws IOException {
        return new Rewrite(length, captured).run(in);
    }

    /**
     * One pass over the answer's bytes: everything is copied as it came except the {@code inlineData.data} strings,
     * which are decoded as they pass. It follows only what that needs (strings, escapes, objects, arrays and the
     * current key of each object); the SDK parses the rewritten answer, and reports malformed JSON itself.
     */
    private static final class Rewrite {
        private static final int READ = 64 * 1024;
        private static final int MAX_KEY = 64;

        private enum State { BETWEEN, STRING, KEY, DATA }

        private final long length;
        private final List<byte[]> captured;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        /** The open objects and arrays, innermost last. */
        private final List<Frame> frames = new ArrayList<>();
        private final ByteArrayOutputStream key = new ByteArrayOutputStream(MAX_KEY);
        private State state = State.BETWEEN;
        private boolean escaped;
        /** Inside an image's string: 0, or 1 after a backslash, or 2–5 while reading a backslash-u's hex digits. */
        private int escape;
        private int unicode;
        private StreamedBase64 image;
        private long consumed;

        Rewrite(long length, List<byte[]> captured) {
            this.length = length;
            this.captured = captured;
        }

        byte[] run(InputStream in) throws IOException {
            byte[] buffer = new byte[READ];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                scan(buffer, n);
                consumed += n;
            }
            if (state == State.DATA) {
                throw new UnreadableImageException("its base64 was cut short by the end of the answer");
            }
            return out.toByteArray();
        }

        private void scan(byte[] buffer, int n) throws IOException {
            int copied = 0;
            int i = 0;
            while (i < n) {
                if (state == State.DATA) {
                    i = image(buffer, i, n);
                    copied = i;
                    continue;
                }
                byte c = buffer[i++];
                switch (state) {
                    case STRING -> {
                        if (escaped) {
                            escaped = false;
                        } else if (c == '\\') {
                            escaped = true;
                        } else if (c == '"') {
                            state = State.BETWEEN;
                        }
                    }
                    case KEY -> {
                        if (escaped) {
                            escaped = false;
                            keyByte(c);
                        } else if (c == '\\') {
                            escaped = true;
                            keyByte(c);
                        } else if (c == '"') {
                            state = State.BETWEEN;
                            Frame object = innermost();
                            object.key = key.size() <= MAX_KEY ? unescape(key.toString(StandardCharsets.UTF_8)) : "";
                            object.expectKey = false;
                        } else {
                            keyByte(c);
                        }
                    }
                    default -> {
                        Frame frame = innermost();
                        switch (c) {
                            case '"' -> {
                                if (frame != null && frame.object && frame.expectKey) {
                                    state = State.KEY;
                                    key.reset();
                                } else if (frame != null && frame.object && "data".equals(frame.key)
                                        && "inlineData".equals(frame.name)) {
                                    out.write(buffer, copied, i - 1 - copied); // its quotes come with it
                                    copied = i;
                                    state = State.DATA;
                                    image = new StreamedBase64(length < 0 ? -1 : (length - consumed - i) / 4 * 3 + 3);
                                } else {
                                    state = State.STRING;
                                }
                            }
                            case '{' -> frames.add(new Frame(true, frame != null && frame.object ? frame.key : null));
                            case '[' -> frames.add(new Frame(false, null));
                            case '}', ']' -> {
                                if (!frames.isEmpty()) {
                                    frames.remove(frames.size() - 1);
                                }
                            }
                            case ',' -> {
                                if (frame != null && frame.object) {
                                    frame.expectKey = true;
                                }
                            }
                            default -> {
                            }
                        }
                    }
                }
            }
            out.write(buffer, copied, n - copied);
        }

        /** Feeds the image's characters from {@code i} on; returns where it stopped (after its closing quote). */
        private int image(byte[] buffer, int i, int n) throws IOException {
            while (i < n) {
                if (escape == 0) {
                    int start = i;
                    i = StreamedBase64.ordinaryRun(buffer, i, n);
                    image.append(buffer, start, i);
                    if (i == n) {
                        return n;
                    }
                    byte c = buffer[i++];
                    if (c == '"') {
                        endImage();
                        return i;
                    } else if (c == '\\') {
                        escape = 1;
                    }
                    // Line breaks and spaces some encoders insert are skipped; other characters that are not
                    // base64 reach the decoder, which refuses them.
                } else if (escape == 1) {
                    byte c = buffer[i++];
                    escape = 0;
                    switch (c) {
                        case '/' -> image.append((byte) '/');
                        case 'n', 'r', 't' -> {
                        }
                        case 'u' -> {
                            escape = 2;
                            unicode = 0;
                        }
                        default -> throw new UnreadableImageException("its base64 holds the escape \\"
                                + (char) (c & 0xFF));
                    }
                } else {
                    int digit = Character.digit(buffer[i++], 16);
                    if (digit < 0) {
                        throw new UnreadableImageException("its base64 holds a malformed \\u escape");
                    }
                    unicode = unicode << 4 | digit;
                    if (++escape == 6) {
                        escape = 0;
                        if (unicode < 128 && StreamedBase64.isBase64((byte) unicode)) {
                            image.append((byte) unicode);
                        } else if (unicode > ' ') {
                            throw new UnreadableImageException("its base64 holds the character U+"
                                    + Integer.toHexString(unicode));
                        }
                    }
                }
            }
            return n;
        }

        private void endImage() throws UnreadableImageException {
            byte[] decoded = image.finish();
            image = null;
            state = State.BETWEEN;
            byte[] value;
            if (decoded.length >= MIN_CAPTURED) {
                captured.add(decoded);
                value = marker(captured.size() - 1);
            } else {
                value = decoded;
            }
            out.write('"');
            out.writeBytes(Base64.getEncoder().encode(value));
            out.write('"');
        }

        private void keyByte(byte c) {
            if (key.size() <= MAX_KEY) {
                key.write(c);
            }
        }

        private Frame innermost() {
            return frames.isEmpty() ? null : frames.get(frames.size() - 1);
        }
    }

    /** An open object or array; for an object, the key it is the value of and its current key. */
    private static final class Frame {
        final boolean object;
        final String name;
        String key;
        boolean expectKey;

        Frame(boolean object, String name) {
            this.object = object;
            this.name = name;
            this.expectKey = object;
        }
    }

    /** A key's text: keys are short, and the ones that matter here are plain, but an escape must not hide one. */
    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder text = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= raw.length()) {
                text.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'u' -> {
                    if (i + 4 < raw.length()) {
                        try {
                            text.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                        } catch (NumberFormatException notHex) {
                            return "";
                        }
                        i += 4;
                    } else {
                        return "";
                    }
                }
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                default -> text.append(e);
            }
        }
        return text.toString();
    }

    private static byte[] marker(int index) {
        byte[] number = Integer.toString(index).getBytes(StandardCharsets.US_ASCII);
        byte[] marker = Arrays.copyOf(MARK, MARK.length + number.length);
        System.arraycopy(number, 0, marker, MARK.length, number.length);
        return marker;
    }
}
