package images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectNamesTest {

    private static final String SAFE = "[A-Za-z0-9_][A-Za-z0-9._-]{0,79}";

    @Test
    void keepsAnAlreadySafeName() {
        assertThat(ObjectNames.safe("holiday_2024-01.beach.jpg", ImageFormat.JPEG)).isEqualTo("holiday_2024-01.beach.jpg");
    }

    @Test
    void collapsesEachRunOfUnsafeCharactersToOneDash() {
        assertThat(ObjectNames.safe("my  summer (1) & more.jpg", ImageFormat.JPEG)).isEqualTo("my-summer-1-more.jpg");
    }

    @Test
    void collapsesDashesTheNameAlreadyHad() {
        assertThat(ObjectNames.safe("a -- b.png", ImageFormat.PNG)).isEqualTo("a-b.png");
    }

    @ParameterizedTest
    @CsvSource({
        "../../etc/passwd, passwd.jpg",
        "..\\..\\windows\\win.ini, win.ini.jpg",
        "C:\\Users\\ana\\Fotos\\playa.jpg, playa.jpg",
        "../, image.jpg",
        "/, image.jpg",
    })
    void keepsOnlyTheLastPathSegment(String original, String expected) {
        assertThat(ObjectNames.safe(original, ImageFormat.JPEG)).isEqualTo(expected);
    }

    @Test
    void stripsLeadingDots() {
        assertThat(ObjectNames.safe(".htaccess", ImageFormat.PNG)).isEqualTo("htaccess.png");
        assertThat(ObjectNames.safe("...hidden.png", ImageFormat.PNG)).isEqualTo("hidden.png");
    }

    @Test
    void stripsLeadingDashesSoTheNameIsNeverAnOption() {
        assertThat(ObjectNames.safe("-rf.png", ImageFormat.PNG)).isEqualTo("rf.png");
    }

    @Test
    void replacesNulAndControlCharacters() {
        String name = ObjectNames.safe("shell\u0000.php\r\n.jpg", ImageFormat.JPEG);
        assertThat(name).isEqualTo("shell-.php.jpg").matches(SAFE);
    }

    @Test
    void capsTheLengthAtEightyKeepingTheExtension() {
        String name = ObjectNames.safe("a".repeat(500) + ".webp", ImageFormat.WEBP);
        assertThat(name).hasSize(ObjectNames.MAX_LENGTH).endsWith("a.webp");
    }

    @Test
    void doesNotEndTheStemWithADashAfterCapping() {
        String name = ObjectNames.safe("a".repeat(75) + " b.jpg", ImageFormat.JPEG);
        assertThat(name).isEqualTo("a".repeat(75) + ".jpg");
    }

    @Test
    void turnsAccentedLettersIntoTheirBaseLetters() {
        assertThat(ObjectNames.safe("café über Ñandú.jpg", ImageFormat.JPEG)).isEqualTo("cafe-uber-Nandu.jpg");
    }

    @ParameterizedTest
    @CsvSource({"写真.jpg", "🙂🙂.jpg", "\uFFFD\uFFFD.jpg", "\uD800.jpg", "'', ", "..."})
    void fallsBackToImageWhenNothingSafeIsLeft(String original) {
        assertThat(ObjectNames.safe(original, ImageFormat.JPEG)).isEqualTo("image.jpg");
    }

    @Test
    void fallsBackToImageForNull() {
        assertThat(ObjectNames.safe(null, ImageFormat.PNG)).isEqualTo("image.png");
    }

    @Test
    void handlesNamesDecodedFromNonUtf8Bytes() {
        String latin1AsUtf8 = new String("fotografía.jpg".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        assertThat(ObjectNames.safe(latin1AsUtf8, ImageFormat.JPEG)).isEqualTo("fotograf-a.jpg");
    }

    @ParameterizedTest
    @CsvSource({
        "photo.jpeg, PNG, photo.png",
        "photo.PNG, PNG, photo.png",
        "photo.JPG, JPEG, photo.jpg",
        "photo.png, WEBP, photo.webp",
        "photo, WEBP, photo.webp",
        "report.pdf, JPEG, report.pdf.jpg",
        "archive.tar.gz, PNG, archive.tar.gz.png",
    })
    void alwaysEndsInTheRealFormatsExtension(String original, ImageFormat format, String expected) {
        assertThat(ObjectNames.safe(original, format)).isEqualTo(expected);
    }

    @Test
    void anyInputGivesASafeName() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder original = new StringBuilder();
            int length = random.nextInt(200);
            for (int j = 0; j < length; j++) {
                original.append((char) random.nextInt(0x3000));
            }
            for (ImageFormat format : ImageFormat.values()) {
                assertThat(ObjectNames.safe(original.toString(), format)).matches(SAFE).endsWith("." + format.extension());
            }
        }
    }
}
