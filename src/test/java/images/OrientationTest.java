package images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrientationTest {

    @Test
    void unknownExifValuesMeanNoTransform() {
        assertThat(Orientation.fromExif(0)).isEqualTo(Orientation.NORMAL);
        assertThat(Orientation.fromExif(9)).isEqualTo(Orientation.NORMAL);
        assertThat(Orientation.fromExif(6)).isEqualTo(Orientation.ROTATED_90);
    }

    @Test
    void turnsAndMirrorsComposeAsTheExifTableSays() {
        // Four quarter turns are none; two mirrors are none; mirror then quarter turn is EXIF 7 (transverse).
        assertThat(Orientation.NORMAL.thenRotateClockwise(1).thenRotateClockwise(3)).isEqualTo(Orientation.NORMAL);
        assertThat(Orientation.ROTATED_90.thenMirrorLeftRight().thenMirrorLeftRight()).isEqualTo(Orientation.ROTATED_90);
        assertThat(Orientation.NORMAL.thenMirrorLeftRight().thenRotateClockwise(1)).isEqualTo(Orientation.MIRRORED_ROTATED_90);
        assertThat(Orientation.NORMAL.thenMirrorTopBottom()).isEqualTo(Orientation.MIRRORED_ROTATED_180);
        // A quarter turn then a left-right mirror is EXIF 5 (transpose).
        assertThat(Orientation.ROTATED_90.thenMirrorLeftRight()).isEqualTo(Orientation.MIRRORED_ROTATED_270);
    }

    @ParameterizedTest
    @EnumSource(Orientation.class)
    void onlyAnUprightPhotoGoesWithoutANote(Orientation orientation) {
        String note = orientation.promptNote();
        if (orientation == Orientation.NORMAL) {
            assertThat(note).isNull();
        } else {
            assertThat(note).startsWith("Photo orientation:").contains("next photo").hasSizeLessThan(260);
        }
    }

    @Test
    void theNoteSaysWhichWayToTurn() {
        assertThat(Orientation.ROTATED_90.promptNote()).contains("turned 90 degrees clockwise");
        assertThat(Orientation.ROTATED_270.promptNote()).contains("turned 90 degrees counter-clockwise");
        assertThat(Orientation.ROTATED_180.promptNote()).contains("upside down");
        assertThat(Orientation.MIRRORED.promptNote()).contains("mirrored left to right").doesNotContain("turned");
    }
}
