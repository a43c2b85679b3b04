package images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"image/jpeg", "image/jpg", "image/pjpeg", "IMAGE/JPEG", " image/jpeg ; charset=binary"})
    void understandsJpegAndItsAliases(String type) {
        assertThat(ImageFormat.fromMimeType(type)).isEqualTo(ImageFormat.JPEG);
    }

    @Test
    void understandsPngAndWebp() {
        assertThat(ImageFormat.fromMimeType("image/png")).isEqualTo(ImageFormat.PNG);
        assertThat(ImageFormat.fromMimeType("image/webp")).isEqualTo(ImageFormat.WEBP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/gif", "application/pdf", "application/octet-stream", ""})
    void rejectsOtherTypes(String type) {
        assertThatThrownBy(() -> ImageFormat.fromMimeType(type)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMissingType() {
        assertThatThrownBy(() -> ImageFormat.fromMimeType(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheMimeTypeAndExtensionStoredObjectsGet() {
        assertThat(ImageFormat.JPEG.mimeType()).isEqualTo("image/jpeg");
        assertThat(ImageFormat.JPEG.extension()).isEqualTo("jpg");
        assertThat(ImageFormat.PNG.mimeType()).isEqualTo("image/png");
        assertThat(ImageFormat.PNG.extension()).isEqualTo("png");
        assertThat(ImageFormat.WEBP.mimeType()).isEqualTo("image/webp");
        assertThat(ImageFormat.WEBP.extension()).isEqualTo("webp");
    }

    @Test
    void heicAndHeifMayBeDeclaredForEachOtherButNothingElse() {
        assertThat(ImageFormat.fromMimeType("image/heic")).isEqualTo(ImageFormat.HEIC);
        assertThat(ImageFormat.fromMimeType("image/heif-sequence")).isEqualTo(ImageFormat.HEIF);
        assertThat(ImageFormat.HEIC.mayBeDeclaredAs(ImageFormat.HEIF)).isTrue();
        assertThat(ImageFormat.HEIF.mayBeDeclaredAs(ImageFormat.HEIC)).isTrue();
        assertThat(ImageFormat.HEIC.mayBeDeclaredAs(ImageFormat.JPEG)).isFalse();
        assertThat(ImageFormat.JPEG.mayBeDeclaredAs(ImageFormat.HEIC)).isFalse();
    }

    @Test
    void theWorkerLearnsTheTypeFromTheStoredObjectsExtension() {
        for (ImageFormat format : ImageFormat.values()) {
            String object = "inputs/job/1-" + ObjectNames.safe("IMG_0001.HEIC", format);
            assertThat(ImageFormat.fromObjectName(object)).isEqualTo(format);
        }
        assertThatThrownBy(() -> ImageFormat.fromObjectName("inputs/job/1-notes.txt"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
