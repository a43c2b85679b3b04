package clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

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

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
