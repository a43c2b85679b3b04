package ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import emulator.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.Multipart;
import support.PanelHarness;
import support.Photos;
import support.UploadFolders;

/**
 * A photo is stored, and its temp file deleted, as soon as its part has been read, while the client is still
 * sending the next part: the request's photos are not all kept in /tmp until the last one arrives.
 */
class StreamedInputsIT {

    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aPartIsStoredAndItsTempFileDeletedWhileTheNextPartIsStillArriving() throws Exception {
        byte[] noise = noise(300, 300);
        // Other tests may be uploading meanwhile (/tmp is shared): ours is the folder receiving this very photo.
        byte[] noiseStart = Arrays.copyOf(noise, 4096);
        Multipart form = new Multipart()
                .file("files", "beach.jpg", "image/jpeg", Photos.jpeg(320, 240, Color.BLUE))
                .file("files", "noise.png", "image/png", noise);
        byte[] body = form.body();
        // Well into the second photo, but not all of it: the first part is complete, the second is not. The reader
        // fills a 64 KiB buffer before it searches it, so it learns that the first part ended that much later.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int secondPart = text.indexOf("filename=\"noise.png\"");
        int held = text.indexOf("\r\n\r\n", secondPart) + 4 + 100 * 1024;
        assertThat(body.length - held).as("bytes of the second photo held back").isGreaterThan(10_000);
        Set<Path> before = UploadFolders.all();
        URI base = URI.create(PanelHarness.baseUrl(api));
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /generate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + PanelHarness.TOKEN + "\r\n"
                    + "Content-Type: " + form.contentType() + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, held);
            out.flush();

            // While the rest of the second photo is still to come: the first is in storage, its temp file gone.
            Set<Path> folders = new HashSet<>();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                Optional<Path> ours = UploadFolders.newSince(before).stream()
                        .filter(folder -> startsWith(folder.resolve("2"), noiseStart)).findFirst();
                assertThat(ours).as("the request's temp folder, receiving the second photo").isPresent();
                folders.add(ours.get());
                assertThat(harness.objects("inputs/")).as("stored inputs")
                        .singleElement().asString().endsWith("/1-beach.jpg");
                assertThat(ours.get().resolve("1")).as("the first photo's temp file").doesNotExist();
            });
            assertThat(socket.getInputStream().available()).as("no answer before the body is complete").isZero();

            out.write(body, held, body.length - held);
            out.flush();
            String answer = UploadFolders.readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 202");
            assertThat(harness.objects("inputs/")).hasSize(2)
                    .anyMatch(name -> name.endsWith("/1-beach.jpg"))
                    .anyMatch(name -> name.endsWith("/2-noise.png"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(folders).noneMatch(Files::exists));
        }
    }

    /** A PNG that does not compress: random pixels, about 3 bytes each. */
    private static byte[] noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(14);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return TestImages.write(image, "png");
    }

    private static boolean startsWith(Path file, byte[] start) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(start.length), start);
        } catch (IOException e) {
            return false;
        }
    }
}
