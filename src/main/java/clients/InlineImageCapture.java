package clients;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Decodes the panel once, straight off the wire. A 2K panel arrives as ~8 MB of base64 inside the JSON answer; the
 * SDK would read it into a String, parse that into a tree (another copy, twice as wide while it is built) and only
 * then decode it. While a call runs inside {@link #capturing}, this interceptor streams a successful JSON answer
 * through Jackson's parser, decodes every {@code inlineData.data} of at least {@link #MIN_CAPTURED} bytes as it
 * passes, keeps those bytes for the caller, and hands the SDK the same answer with a short marker in their place;
 * the SDK then checks and maps a few kilobytes. {@link #resolve} swaps a marker back for its bytes. Other calls,
 * errors and small images pass unchanged. OkHttp runs a synchronous call's interceptors on the caller's thread
 * (as {@link RetryAfterCapture} relies on too), so the captured bytes stay with the call that asked for them.
 */
final class InlineImageCapture implements Interceptor {

    /** Images below this stay inline: interim thought sketches, small test panels. */
    static final int MIN_CAPTURED = 64 * 1024;
    private static final byte[] MARK = "panel-one:captured-inline-data:".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();
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
            rewritten = rewrite(in, captured);
        }
        return response.newBuilder()
                .header("Content-Length", Integer.toString(rewritten.length))
                .body(ResponseBody.create(rewritten, type))
                .build();
    }

    /** The answer with every large {@code inlineData.data} decoded into {@code captured} and a marker left. */
    static byte[] rewrite(InputStream in, List<byte[]> captured) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        // The field each open object is the value of: "data" counts only directly inside "inlineData".
        Deque<String> objects = new ArrayDeque<>();
        String field = null;
        try (JsonParser parser = JSON.createParser(in); JsonGenerator generator = JSON.createGenerator(out)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT -> objects.push(field == null ? "" : field);
                    case END_OBJECT -> objects.pop();
                    case FIELD_NAME -> field = parser.currentName();
                    default -> {
                    }
                }
                if (token == JsonToken.VALUE_STRING && "data".equals(field) && "inlineData".equals(objects.peek())) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
                    parser.readBinaryValue(bytes);
                    byte[] decoded = bytes.toByteArray();
                    if (decoded.length >= MIN_CAPTURED) {
                        captured.add(decoded);
                        generator.writeBinary(marker(captured.size() - 1));
                    } else {
                        generator.writeBinary(decoded);
                    }
                    continue;
                }
                generator.copyCurrentEvent(parser);
            }
        }
        return out.toByteArray();
    }

    private static byte[] marker(int index) {
        byte[] number = Integer.toString(index).getBytes(StandardCharsets.US_ASCII);
        byte[] marker = Arrays.copyOf(MARK, MARK.length + number.length);
        System.arraycopy(number, 0, marker, MARK.length, number.length);
        return marker;
    }
}
