package cli;

import static org.assertj.core.api.Assertions.assertThat;

import images.ImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.PhotoCorpus;

class ImageFolderTest {

    @TempDir
    Path dir;

    void copy(String resource, String as) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/images/" + resource)) {
            Files.write(dir.resolve(as), in.readAllBytes());
        }
    }

    @Test
    void keepsRealImagesWhateverTheirNameAndSkipsTheRestWithAReason() throws IOException {
        copy("photo.jpg", "a.jpg");
        copy("photo.png", "b-no-extension");
        copy("photo.webp", "c.webp");
        copy("not-an-image.jpg", "d.jpg");
        copy("truncated.jpg", "e.jpg");
        copy("empty.jpg", "f.jpg");
        Files.createDirectory(dir.resolve("subfolder"));

        ImageFolder.Scan scan = ImageFolder.scan(dir);

        assertThat(scan.images()).extracting(i -> i.file().getFileName().toString(), i -> i.info().format())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a.jpg", ImageFormat.JPEG),
                        org.assertj.core.groups.Tuple.tuple("b-no-extension", ImageFormat.PNG),
                        org.assertj.core.groups.Tuple.tuple("c.webp", ImageFormat.WEBP));
        assertThat(scan.skipped()).extracting(s -> s.file().getFileName() + ": " + s.reason()).containsExactly(
                "d.jpg: is not a JPEG, PNG, WebP, HEIC or HEIF image",
                "e.jpg: is a truncated JPEG (no end-of-image marker)",
                "f.jpg: is empty");
    }

    @Test
    void everyCameraVariantIsSentAndEveryHostileFileSkipped() throws IOException {
        for (PhotoCorpus.Sample sample : PhotoCorpus.goodVariants()) {
            Files.write(dir.resolve(sample.name()), sample.bytes());
        }
        Files.write(dir.resolve("zz-bomb.png"), PhotoCorpus.pngBomb());
        Files.write(dir.resolve("zz-cut.heic"), PhotoCorpus.truncatedHeic());
        Files.write(dir.resolve("zz-polyglot.png"), PhotoCorpus.pngZipPolyglot());

        ImageFolder.Scan scan = ImageFolder.scan(dir);

        assertThat(scan.images()).extracting(i -> i.file().getFileName().toString(), i -> i.info().format().mimeType())
                .containsExactlyInAnyOrderElementsOf(PhotoCorpus.goodVariants().stream()
                        .map(sample -> org.assertj.core.groups.Tuple.tuple(sample.name(), sample.mimeType())).toList());
        assertThat(scan.skipped()).extracting(s -> s.file().getFileName().toString())
                .containsExactly("zz-bomb.png", "zz-cut.heic", "zz-polyglot.png");
        assertThat(scan.skipped().get(0).reason()).contains("decompression bomb");
    }

    @Test
    void emptyFolderHasNothingToSend() throws IOException {
        ImageFolder.Scan scan = ImageFolder.scan(dir);
        assertThat(scan.images()).isEmpty();
        assertThat(scan.skipped()).isEmpty();
    }
}
