import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * What decoding one panel's answer costs the worker, old way against new, on one thread, without HTTP: a Gemini-like
 * JSON answer holding a panel of PANEL_BYTES (default 6,000,000: a real 2K PNG, 8 MB of base64) read (a) with
 * Jackson's {@code readBinaryValue} into a growing ByteArrayOutputStream, as the worker did until issue 15's decode
 * lever, (b) by {@code clients.InlineImageCapture.rewrite} as it is now, Content-Length known and unknown, and (c)
 * {@code java.util.Base64} on the bare string, the floor. CPU time of the thread (ThreadMXBean), median and best of
 * the rounds. Run from the repository after {@code mvn -q compile}, with the JDK 25 source launcher:
 * {@code java -cp target/classes:$(cat target/bench/classpath.txt) bench/PanelDecode.java [PANEL_BYTES]}.
 */
public final class PanelDecode {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final JsonFactory JSON = new JsonFactory();

    interface Decode {
        byte[] run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 6_000_000;
        byte[] panel = new byte[size];
        new Random(1).nextBytes(panel);
        String encoded = Base64.getEncoder().encodeToString(panel);
        byte[] answer = ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Here it is\"},{\"inlineData\":"
                + "{\"mimeType\":\"image/png\",\"data\":\"" + encoded + "\"}}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"totalTokenCount\":1290}}")
                .getBytes(StandardCharsets.US_ASCII);
        Method rewrite = Class.forName("clients.InlineImageCapture")
                .getDeclaredMethod("rewrite", InputStream.class, long.class, List.class);
        rewrite.setAccessible(true);

        System.out.printf("panel %,d bytes, answer %,d bytes; ms of CPU per answer, median / best of 30%n", size,
                answer.length);
        for (int round = 1; round <= 2; round++) {
            report("Jackson readBinaryValue (before)", () -> jackson(answer), panel);
            report("InlineImageCapture, length unknown", () -> captured(rewrite, answer, -1), panel);
            report("InlineImageCapture, Content-Length known", () -> captured(rewrite, answer, answer.length), panel);
            report("java.util.Base64 on the bare string (floor)", () -> Base64.getDecoder().decode(encoded), panel);
        }
    }

    private static byte[] captured(Method rewrite, byte[] answer, long length) throws Exception {
        List<byte[]> captured = new ArrayList<>();
        rewrite.invoke(null, new ByteArrayInputStream(answer), length, captured);
        return captured.get(0);
    }

    /** The decode as it was: Jackson streams the answer, readBinaryValue into a ByteArrayOutputStream. */
    private static byte[] jackson(byte[] answer) throws Exception {
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(answer))) {
            String field = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    field = parser.currentName();
                } else if (token == JsonToken.VALUE_STRING && "data".equals(field)) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
                    parser.readBinaryValue(bytes);
                    return bytes.toByteArray();
                }
            }
        }
        throw new IllegalStateException("no data");
    }

    private static void report(String what, Decode decode, byte[] expected) throws Exception {
        if (!Arrays.equals(decode.run(), expected)) {
            throw new IllegalStateException(what + " decoded something else");
        }
        for (int i = 0; i < 20; i++) {
            decode.run();
        }
        double[] ms = new double[30];
        for (int i = 0; i < ms.length; i++) {
            long start = THREADS.getCurrentThreadCpuTime();
            decode.run();
            ms[i] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("  %-46s %7.1f / %7.1f%n", what, ms[ms.length / 2], ms[0]);
    }
}
