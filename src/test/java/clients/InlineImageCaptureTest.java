package clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.errors.GenAiIOException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The panel leaves the answer, decoded, and a marker takes its place; everything else is kept as it was. */
class InlineImageCaptureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void capturesLargeInlineDataAndKeepsTheRestOfTheAnswer() throws Exception {
        byte[] panel = new byte[200_000];
        new Random(1).nextBytes(panel);
        byte[] sketch = "tiny sketch".getBytes(StandardCharsets.US_ASCII);
        String answer = "{\"candidates\":[{\"content\":{\"parts\":["
                + "{\"text\":\"thinking\",\"thought\":true},"
                + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + b64(sketch) + "\"},\"thought\":true},"
                + "{\"text\":\"Here it is\",\"data\":\"" + b64(panel) + "\"},"
                + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + b64(panel) + "\"}}"
                + "],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":12,\"totalTokenCount\":1.5e3}}";

        List<byte[]> captured = new ArrayList<>();
        byte[] rewritten = InlineImageCapture.rewrite(
                new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), captured);

        assertThat(captured).hasSize(1);
        assertThat(captured.get(0)).isEqualTo(panel);
        JsonNode before = JSON.readTree(answer);
        JsonNode after = JSON.readTree(rewritten);
        assertThat(rewritten.length).as("one copy of the panel left the answer").isLessThan(answer.length() - 260_000);
        // Small images and a "data" field outside inlineData are untouched; the panel's data is the marker.
        JsonNode parts = after.at("/candidates/0/content/parts");
        assertThat(parts.get(1).at("/inlineData/data").asText()).isEqualTo(b64(sketch));
        assertThat(parts.get(2).get("data").asText()).isEqualTo(b64(panel));
        ((com.fasterxml.jackson.databind.node.ObjectNode) parts.get(3).get("inlineData")).remove("data");
        ((com.fasterxml.jackson.databind.node.ObjectNode) before.at("/candidates/0/content/parts/3/inlineData"))
                .remove("data");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void outsideACapturingCallNothingIsSwapped() {
        byte[] lookalike = "panel-one:captured-inline-data:0".getBytes(StandardCharsets.US_ASCII);
        assertThat(InlineImageCapture.resolve(lookalike)).isSameAs(lookalike);
        byte[] plain = {1, 2, 3};
        assertThat(InlineImageCapture.capturing(() -> InlineImageCapture.resolve(plain))).isSameAs(plain);
    }

    /** Decoded sizes around the decoder's stages (3/4 of its block of characters) and the capture threshold. */
    static IntStream sizesAroundBoundaries() {
        int block = StreamedBase64.STAGE / 4 * 3;
        return IntStream.of(InlineImageCapture.MIN_CAPTURED - 1, InlineImageCapture.MIN_CAPTURED,
                block - 2, block - 1, block, block + 1, block + 2,
                2 * block - 1, 2 * block, 2 * block + 1, 3 * block + 2, 1_000_003);
    }

    @ParameterizedTest
    @MethodSource("sizesAroundBoundaries")
    void decodesByteExactlyWhateverTheSizeAndHoweverTheAnswerIsCut(int size) throws Exception {
        byte[] image = random(size, size);
        byte[] answer = answer(b64(image)).getBytes(StandardCharsets.UTF_8);
        for (long length : new long[] {answer.length, -1}) {
            List<byte[]> captured = new ArrayList<>();
            byte[] rewritten = InlineImageCapture.rewrite(new Trickle(answer, size), length, captured);

            JsonNode data = JSON.readTree(rewritten).at("/candidates/0/content/parts/1/inlineData/data");
            if (size >= InlineImageCapture.MIN_CAPTURED) {
                assertThat(captured).hasSize(1);
                assertThat(captured.get(0)).isEqualTo(image);
                assertThat(InlineImageCapture.capturing(() -> data.asText().length())).isLessThan(60);
            } else {
                assertThat(captured).as("a small image stays in the answer").isEmpty();
                assertThat(data.binaryValue()).isEqualTo(image);
            }
        }
    }

    @Test
    void escapedSlashesUnicodeEscapesAndLineBreaksDecodeAsThePlainCharacters() throws Exception {
        byte[] image = random(300_001, 7);
        String plain = b64(image);
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (i > 0 && i % 76 == 0) {
                escaped.append(i % 152 == 0 ? "\\r\\n" : "\\n");
            }
            escaped.append(c == '/' ? "\\/" : i % 1000 == 0 ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        assertThat(escaped.toString()).contains("\\/", "\\u00", "\\n");

        List<byte[]> captured = new ArrayList<>();
        InlineImageCapture.rewrite(new Trickle(answer(escaped.toString()).getBytes(StandardCharsets.UTF_8), 3), -1,
                captured);

        assertThat(captured).hasSize(1);
        assertThat(captured.get(0)).isEqualTo(image);
    }

    @Test
    void severalImagesAreEachCapturedInTurnAndSmallOnesStayInline() throws Exception {
        byte[] first = random(150_000, 1);
        byte[] sketch = random(1_000, 2);
        byte[] second = random(400_000, 3);
        String answer = "{\"candidates\":[{\"content\":{\"parts\":["
                + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + b64(first) + "\"},\"thought\":true},"
                + "{\"inlineData\":{\"data\":\"" + b64(sketch) + "\",\"mimeType\":\"image/png\"}},"
                + "{\"inlineData\" : { \"mimeType\" : \"image/png\" , \"data\" : \"" + b64(second) + "\" } }"
                + "]}}]}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);

        List<byte[]> captured = new ArrayList<>();
        byte[] rewritten = InlineImageCapture.rewrite(new ByteArrayInputStream(bytes), bytes.length, captured);

        assertThat(captured).hasSize(2);
        assertThat(captured.get(0)).isEqualTo(first);
        assertThat(captured.get(1)).isEqualTo(second);
        JsonNode parts = JSON.readTree(rewritten).at("/candidates/0/content/parts");
        assertThat(parts.at("/1/inlineData/data").binaryValue()).isEqualTo(sketch);
        assertThat(new String(parts.at("/0/inlineData/data").binaryValue(), StandardCharsets.US_ASCII))
                .isEqualTo("panel-one:captured-inline-data:0");
        assertThat(new String(parts.at("/2/inlineData/data").binaryValue(), StandardCharsets.US_ASCII))
                .isEqualTo("panel-one:captured-inline-data:1");
    }

    @Test
    void aKeyWrittenWithEscapesStillNamesTheImage() throws Exception {
        byte[] image = random(100_000, 4);
        String answer = "{\"parts\":[{\"inline\\u0044ata\":{\"d\\u0061ta\":\"" + b64(image) + "\"}},"
                + "{\"text\":\"a \\\"quoted\\\" {brace} [and] \\\\\",\"inlineData\":{\"data\":\"" + b64(image) + "\"}}]}";

        List<byte[]> captured = new ArrayList<>();
        byte[] rewritten = InlineImageCapture.rewrite(
                new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), -1, captured);

        assertThat(captured).hasSize(2).allSatisfy(bytes -> assertThat(bytes).isEqualTo(image));
        assertThat(JSON.readTree(rewritten).at("/parts/1/text").asText()).isEqualTo("a \"quoted\" {brace} [and] \\");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cut1", "cut2", "cut3", "illegal", "illegalFirst", "illegalFourth", "illegalEndOfStage",
            "nonAscii", "innerPadding", "paddingThenMore", "quoteEscape", "unfinished"})
    void anImageThatCannotBeDecodedFailsWithAPlainReason(String damage) {
        String good = b64(random(200_000, 5)); // 266,668 characters, "=" at the end
        String data = switch (damage) {
            case "cut1" -> good.substring(0, good.length() - 1);
            case "cut2" -> good.substring(0, good.length() - 2);
            case "cut3" -> good.substring(0, good.length() - 3);
            case "illegal" -> good.substring(0, 100_000) + "." + good.substring(100_001);
            case "illegalFirst" -> "." + good.substring(1);
            case "illegalFourth" -> good.substring(0, 100_003) + "." + good.substring(100_004);
            // The last group of a stage is decoded apart from the others (it may hold the padding).
            case "illegalEndOfStage" -> good.substring(0, StreamedBase64.STAGE - 1) + "."
                    + good.substring(StreamedBase64.STAGE);
            // Sent as raw UTF-8: two bytes above 0x7F, in the third and fourth places of a group.
            case "nonAscii" -> good.substring(0, 70_002) + "\u00e9" + good.substring(70_003);
            case "innerPadding" -> good.substring(0, 1_000) + "QQ==" + good.substring(1_004);
            case "paddingThenMore" -> good.substring(0, StreamedBase64.STAGE - 2) + "==" + good.substring(
                    StreamedBase64.STAGE);
            case "quoteEscape" -> good.substring(0, 5_000) + "\\\"" + good.substring(5_001);
            default -> good;
        };
        String answer = answer(data);
        byte[] bytes = (damage.equals("unfinished") ? answer.substring(0, 150_000) : answer)
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> InlineImageCapture.rewrite(new ByteArrayInputStream(bytes), bytes.length,
                new ArrayList<>()))
                .isInstanceOf(UnreadableImageException.class)
                .hasMessageStartingWith("the image in Gemini's answer could not be decoded: its ")
                .hasMessageNotContaining(good.substring(0, 12))
                .satisfies(e -> {
                    if (damage.startsWith("illegal") || damage.equals("nonAscii")) {
                        assertThat(e).hasMessageContaining("its base64 is invalid between characters");
                    }
                });
    }

    @Test
    void anUndecodableImageFailsTheCallOnceWithAReasonAUserCanRead() {
        GenAiIOException wrapped = new GenAiIOException("Failed to execute HTTP request.",
                new UnreadableImageException("its base64 was cut short (5 characters, not a multiple of 4)"));

        ModelCallException failure = ModelErrors.from("image-model", wrapped, Duration.ofSeconds(30));

        assertThat(failure.isTransient()).as("the answer came whole: another attempt pays for another image").isFalse();
        assertThat(failure.getMessage()).isEqualTo("image-model returned an image that could not be decoded: its"
                + " base64 was cut short (5 characters, not a multiple of 4)");
    }

    /** An answer like Gemini's with one image part holding this base64 text. */
    private static String answer(String data) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Here it is\"},"
                + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + data + "\"}}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"totalTokenCount\":1290}}";
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Hands the bytes over in reads of random sizes, as a socket does, so escapes and blocks straddle reads. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int position;

        Trickle(byte[] bytes, long seed) {
            this.bytes = bytes;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int off, int len) throws IOException {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - position), 1 + random.nextInt(random.nextBoolean() ? 7 : 9000));
            System.arraycopy(bytes, position, into, off, n);
            position += n;
            return n;
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
