package ingest;

import static org.assertj.core.api.Assertions.assertThat;

import emulator.GeminiEmulator;
import com.fasterxml.jackson.databind.JsonNode;
import emulator.RecordedUpload;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import support.Multipart;
import support.PanelHarness;
import support.PhotoCorpus;
import support.PhotoCorpus.Sample;

/**
 * What phones and cameras save goes through POST /generate to COMPLETED and reaches Gemini's Files API with the
 * right type; bombs, truncations and polyglots are refused with 400 and leave nothing behind.
 */
class CameraPhotosIT {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
        harness.startWorker();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static List<Sample> goodVariants() {
        return PhotoCorpus.goodVariants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodVariants")
    void eachVariantCompletesAndReachesGeminiAsItsRealType(Sample sample) throws Exception {
        // Browsers on Linux and Windows know no type for .heic and send application/octet-stream.
        String declared = sample.mimeType().equals("image/heic") ? "application/octet-stream" : sample.mimeType();
        HttpResponse<String> response = harness.post(api, new Multipart().file("files", sample.name(), declared,
                sample.bytes()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();

        JsonNode job = harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);

        assertThat(job.path("result").path("image_url").asText()).endsWith("/outputs/" + jobId + "/panel.png");
        RecordedUpload upload = uploadOf(sample);
        assertThat(upload.mimeType()).isEqualTo(sample.mimeType());
        assertThat(upload.size()).isEqualTo(sample.bytes().length);
    }

    @Test
    void aHeicIsDeclaredToGeminiAsHeicEvenWhenTheBrowserCalledItHeif() throws Exception {
        byte[] heic = PhotoCorpus.heic(PhotoCorpus.Heic.single(64, 48));
        HttpResponse<String> response = harness.post(api, new Multipart().file("files", "IMG_4242.HEIC", "image/heif", heic));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();
        harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);
        assertThat(uploadOf(new Sample("IMG_4242.heic", heic, "image/heic")).mimeType()).isEqualTo("image/heic");
    }

    @Test
    void theModelIsToldWhichWayUpASidewaysPhotoIs() throws Exception {
        HttpResponse<String> response = harness.post(api, new Multipart()
                .file("files", "portrait.jpg", "image/jpeg", PhotoCorpus.jpegWithExifAndXmp(6))
                .file("files", "upright.png", "image/png", PhotoCorpus.png(40, 30)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();
        harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);

        for (String model : List.of(GeminiEmulator.STORY_MODEL, GeminiEmulator.IMAGE_MODEL)) {
            JsonNode parts = harness.gemini.calls().stream().filter(call -> call.model().equals(model))
                    .reduce((a, b) -> b).orElseThrow().request().at("/contents/0/parts");
            List<String> notes = Stream.iterate(0, i -> i < parts.size(), i -> i + 1).map(parts::get)
                    .filter(part -> part.path("text").asText().startsWith("Photo orientation:")).map(part -> part.path("text").asText())
                    .toList();
            assertThat(notes).as(model).hasSize(1);
            assertThat(notes.get(0)).contains("turned 90 degrees clockwise");
            // The note stands right before the photo it is about.
            int note = indexOfText(parts, notes.get(0));
            assertThat(parts.get(note + 1).path("fileData").path("mimeType").asText()).isEqualTo("image/jpeg");
        }
    }

    @Test
    void thePixelCapComesFromConfiguration() throws Exception {
        ConfigurableApplicationContext strict = harness.start(java.util.Map.of("panel.limits.max-image-pixels", "1000"), "api");
        try {
            HttpResponse<String> response = harness.post(strict, new Multipart().file("files", "small.png", "image/png",
                    PhotoCorpus.png(40, 30)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(PanelHarness.json(response.body()).path("detail").asText())
                    .isEqualTo("File 'small.png' declares 40 × 30 pixels (1,200 pixels), more than the limit of 1,000 "
                            + "pixels: refused as a possible decompression bomb");
        } finally {
            harness.stop(strict);
        }
    }

    static Stream<Arguments> hostileFiles() {
        return Stream.of(
                Arguments.of("png-bomb.png", "image/png", PhotoCorpus.pngBomb(), "decompression bomb"),
                Arguments.of("jpeg-bomb.jpg", "image/jpeg", PhotoCorpus.jpegBomb(), "decompression bomb"),
                Arguments.of("heic-bomb.heic", "image/heic", PhotoCorpus.heicBomb(), "decompression bomb"),
                Arguments.of("webp-bomb.webp", "image/webp", PhotoCorpus.webpBomb(), "decompression bomb"),
                Arguments.of("flood.jpg", "image/jpeg", PhotoCorpus.jpegSegmentFlood(5_000), "segments"),
                Arguments.of("cut.heic", "image/heic", PhotoCorpus.truncatedHeic(), "truncated HEIF"),
                Arguments.of("polyglot.png", "image/png", PhotoCorpus.pngZipPolyglot(), "after the end of the image"),
                Arguments.of("photo.avif", "image/avif", PhotoCorpus.avif(), "AVIF"),
                Arguments.of("clip.mp4", "video/mp4", PhotoCorpus.mp4(), "not a JPEG, PNG, WebP, HEIC or HEIF"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void hostileFilesAreRefusedAndLeaveNothingBehind(String name, String type, byte[] bytes, String reason)
            throws Exception {
        Set<String> keysBefore = harness.redis.keys();
        List<String> objectsBefore = harness.objects("");

        HttpResponse<String> response = harness.post(api, new Multipart().file("files", name, type, bytes));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(PanelHarness.json(response.body()).path("detail").asText()).contains(name, reason);
        // Jobs of the earlier tests may still be ending (their inputs being deleted), so what must hold is that this
        // request added nothing, not that nothing changed.
        assertThat(harness.redis.keys()).as("keys added").isSubsetOf(keysBefore);
        assertThat(harness.objects("")).as("objects added").isSubsetOf(objectsBefore);
    }

    /** The Files API upload of this sample: the gateway names each upload after its stored object. */
    private static RecordedUpload uploadOf(Sample sample) {
        String stem = sample.name().substring(0, sample.name().lastIndexOf('.'));
        String extension = sample.mimeType().substring("image/".length()).replace("jpeg", "jpg");
        return harness.gemini.uploads().stream()
                .filter(upload -> upload.displayName().endsWith("-" + stem.replace('.', '.') + "." + extension))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no upload of " + sample.name() + " in " + harness.gemini.uploads()));
    }

    private static int indexOfText(JsonNode parts, String text) {
        for (int i = 0; i < parts.size(); i++) {
            if (text.equals(parts.get(i).path("text").asText())) {
                return i;
            }
        }
        return -1;
    }
}
