package clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client StorageFactory builds for each credential source, and the public URLs it spells. */
class StorageFactoryTest {

  private static StorageSettings settings(String projectId, String emulatorHost, String credentialsFile) {
    return new StorageSettings(projectId, emulatorHost, credentialsFile, Duration.ofSeconds(3),
        Duration.ofSeconds(20), 5, Duration.ofSeconds(45));
  }

  @Nested
  class Create {

    @Test
    void emulatorHostMeansNoCredentialsAndADefaultProject() throws Exception {
      try (Storage storage = StorageFactory.create(settings(" ", "http://127.0.0.1:4443/", null))) {
        StorageOptions options = storage.getOptions();
        assertThat(options.getHost()).isEqualTo("http://127.0.0.1:4443");
        assertThat(options.getProjectId()).isEqualTo("local-project");
        assertThat(options.getCredentials()).isSameAs(NoCredentials.getInstance());
      }
    }

    @Test
    void timeoutsAndRetryBudgetComeFromTheSettings() throws Exception {
      try (Storage storage = StorageFactory.create(settings("p", "127.0.0.1:4443", null))) {
        StorageOptions options = storage.getOptions();
        HttpTransportOptions transport = (HttpTransportOptions) options.getTransportOptions();
        assertThat(transport.getConnectTimeout()).isEqualTo(3_000);
        assertThat(transport.getReadTimeout()).isEqualTo(20_000);
        RetrySettings retry = options.getRetrySettings();
        assertThat(retry.getMaxAttempts()).isEqualTo(5);
        assertThat(retry.getTotalTimeoutDuration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(retry.getInitialRetryDelayDuration()).isEqualTo(Duration.ofMillis(200));
        assertThat(retry.getRetryDelayMultiplier()).isEqualTo(2.0);
        assertThat(options.getHost()).isEqualTo("http://127.0.0.1:4443");
      }
    }

    @Test
    void credentialsFileIsReadAsAServiceAccount(@TempDir Path dir) throws Exception {
      Path key = dir.resolve("sa.json");
      Files.writeString(key, serviceAccountJson());

      try (Storage storage = StorageFactory.create(settings("my-project", null, key.toString()))) {
        assertThat(storage.getOptions().getCredentials()).isInstanceOf(ServiceAccountCredentials.class);
        assertThat(storage.getOptions().getProjectId()).isEqualTo("my-project");
        assertThat(storage.getOptions().getHost()).startsWith("https://storage.googleapis.com");
      }
    }

    @Test
    void missingCredentialsFileFailsWithItsPath(@TempDir Path dir) {
      String missing = dir.resolve("nope.json").toString();

      assertThatThrownBy(() -> StorageFactory.create(settings("p", null, missing)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(missing);
    }

    @Test
    void settingsRejectNonsense() {
      assertThatThrownBy(() -> new StorageSettings("p", null, null, Duration.ZERO, Duration.ofSeconds(1), 1,
          Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new StorageSettings("p", null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
          Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String serviceAccountJson() throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      String pem = "-----BEGIN PRIVATE KEY-----\\n"
          + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
          + "\\n-----END PRIVATE KEY-----\\n";
      return """
          {"type": "service_account", "project_id": "my-project", "private_key_id": "k1",
           "private_key": "%s", "client_email": "panel-one@my-project.iam.gserviceaccount.com",
           "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token"}
          """.formatted(pem);
    }
  }

  @Nested
  class PublicUrl {

    @Test
    void pointsAtStorageGoogleapisComWithoutAnEmulator() {
      assertThat(StorageFactory.publicUrl(null, "panel-one-outputs", "outputs/abc/panel.png"))
          .isEqualTo("https://storage.googleapis.com/panel-one-outputs/outputs/abc/panel.png");
    }

    @Test
    void pointsAtTheEmulatorWithoutADoubleSlash() {
      assertThat(StorageFactory.publicUrl("http://localhost:4443/", "b", "outputs/abc/panel.png"))
          .isEqualTo("http://localhost:4443/b/outputs/abc/panel.png");
    }

    @Test
    void encodesEachSegmentAndKeepsTheSlashes() {
      assertThat(StorageFactory.publicUrl("", "b", "inputs/j 1/1-café+x?.png"))
          .isEqualTo("https://storage.googleapis.com/b/inputs/j%201/1-caf%C3%A9%2Bx%3F.png");
    }
  }
}
