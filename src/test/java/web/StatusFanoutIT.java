package web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.FrameRecorder;
import support.PanelHarness;
import support.Photos;

/**
 * Status frames through Tomcat's own sockets: each event is one whole text frame, and every subscriber gets every
 * event in order while another subscriber of the same job has stopped reading and its writes cannot finish.
 */
class StatusFanoutIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        // No re-reads of the job from Redis while the test publishes its own events.
        api = harness.start(Map.of("panel.jobs.subscriber-refresh", "300s"), "api");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aClientThatStopsReadingDelaysNoOtherSubscriber() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();
        ObjectNode job = (ObjectNode) harness.job(api, jobId);
        // Well past the versions the job itself has had, so no frame counts as already sent.
        long first = 1_000;

        List<FrameRecorder> readers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            readers.add(harness.subscribe(api, jobId));
        }
        try (Socket stalled = rawSubscriber(jobId)) {
            InputStream raw = stalled.getInputStream();
            readFrame(raw); // the job as it is on connect
            await().atMost(Duration.ofSeconds(10)).until(() -> readers.stream().allMatch(r -> r.frames().size() == 1));

            // 64 KiB frames: the stalled socket's buffers fill after a few, and its write stays unfinished.
            job.put("padding", "x".repeat(64 * 1024));
            int events = 40;
            for (long version = first; version < first + events; version++) {
                job.put("updated_at", "v" + version);
                harness.redis.redis().convertAndSend(RedisKeys.EVENTS_CHANNEL,
                        JSON.writeValueAsString(Map.of("version", version, "job", job)));
            }
            // The first event reaches the raw client as one text frame, not as fragments of one message; then
            // that client stops reading.
            byte[] payload = readFrame(raw);
            assertThat(JSON.readTree(payload).path("updated_at").asText()).isEqualTo("v" + first);

            List<String> expected = LongStream.range(first, first + events).mapToObj(v -> "v" + v).toList();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> readers.stream().allMatch(r -> r.frames().size() == events + 1));
            for (FrameRecorder reader : readers) {
                List<JsonNode> frames = reader.frames();
                assertThat(frames.subList(1, frames.size())).extracting(f -> f.path("updated_at").asText())
                        .containsExactlyElementsOf(expected);
                assertThat(reader.isClosed()).isFalse();
            }
        }
    }

    /** Opens /ws/{jobId} by hand, with a small receive buffer, so a client that stops reading stalls soon. */
    private static Socket rawSubscriber(String jobId) throws Exception {
        URI base = URI.create(PanelHarness.baseUrl(api));
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /ws/" + jobId + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("handshake answer").isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }

    /** Reads one server frame (unmasked), which must be a whole text message: FIN set, opcode text. */
    private static byte[] readFrame(InputStream in) throws Exception {
        int first = in.read();
        int second = in.read();
        assertThat(first).as("frame header").isNotNegative();
        assertThat(first & 0x80).as("FIN: the whole message in this frame").isEqualTo(0x80);
        assertThat(first & 0x0F).as("opcode: text").isEqualTo(1);
        long length = second & 0x7F;
        int extra = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (extra > 0) {
            length = 0;
            for (byte b : in.readNBytes(extra)) {
                length = (length << 8) | (b & 0xFF);
            }
        }
        byte[] payload = in.readNBytes((int) length);
        assertThat(payload).hasSize((int) length);
        return payload;
    }
}
