package aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the training run reads the command it trains (the end-to-end run is deploy.ContainerCommandJarIT). */
class AotTrainingTest {

    private static final List<String> API = List.of("java", "-XX:AOTCacheOutput=app.aot", "-XX:+UseSerialGC",
            "-XX:MaxRAMPercentage=62.5", "-jar", "panel-one.jar", "start");

    @Test
    void theCompanionIsTheOtherRoleWithTheSameFlagsAndNoCache() {
        assertThat(AotTraining.companionCommand(API)).containsExactly("java", "-XX:+UseSerialGC",
                "-XX:MaxRAMPercentage=62.5", "-jar", "panel-one.jar", "worker");
        List<String> worker = List.of("java", "-XX:AOTCacheOutput=app.aot", "-XX:AOTCache=old.aot", "-jar",
                "panel-one.jar", "worker");
        assertThat(AotTraining.companionCommand(worker)).containsExactly("java", "-jar", "panel-one.jar", "start");
    }

    @Test
    void theCacheIsWhereTheTrainedCommandWritesIt() {
        assertThat(AotTraining.cacheOutput(API)).isEqualTo(Path.of("app.aot").toAbsolutePath());
        assertThatThrownBy(() -> AotTraining.cacheOutput(List.of("java", "-jar", "panel-one.jar", "start")))
                .hasMessageContaining("-XX:AOTCacheOutput=");
    }

    @Test
    void thePhotosAreFourJpegPartsNamedFiles() throws Exception {
        AotTraining.Multipart body = AotTraining.fourPhotos();
        String text = new String(body.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(body.contentType()).startsWith("multipart/form-data; boundary=");
        assertThat(text.split("name=\"files\"", -1)).hasSize(5);
        assertThat(text.split("\u00ff\u00d8\u00ff", -1)).as("JPEG start markers").hasSize(5);
    }
}
