package emulator;

import static org.assertj.core.api.Assertions.assertThat;

import clients.StorageFactory;
import clients.StorageSettings;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.google.storage.GoogleCloudStorageConstants;
import org.apache.camel.component.google.storage.GoogleCloudStorageOperations;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** camel-google-storage's producer, unchanged, against a GcsEmulator: upload, listObjects and deleteObject. */
class GcsEmulatorCamelIT {

  private static final String BUCKET = "panel-one-outputs";
  private static final String ENDPOINT = "google-storage://" + BUCKET + "?autoCreateBucket=false&storageClient=#storage";

  @TempDir
  Path root;

  private GcsEmulator emulator;
  private Storage storage;
  private CamelContext camel;
  private ProducerTemplate producer;

  @BeforeEach
  void start() {
    emulator = GcsEmulator.start(root, 0);
    storage = StorageFactory.create(new StorageSettings(null, emulator.baseUrl(), null,
        Duration.ofSeconds(2), Duration.ofSeconds(10), 3, Duration.ofSeconds(20)));
    storage.create(BucketInfo.of(BUCKET));
    camel = new DefaultCamelContext();
    camel.getRegistry().bind("storage", storage);
    camel.start();
    producer = camel.createProducerTemplate();
  }

  @AfterEach
  void stop() throws Exception {
    camel.stop();
    storage.close();
    emulator.close();
  }

  @Test
  void producerUploadsListsAndDeletesObjects() {
    byte[] photo = "a photo".getBytes(StandardCharsets.UTF_8);

    Blob uploaded = producer.requestBodyAndHeaders(ENDPOINT, new ByteArrayInputStream(photo), Map.of(
        GoogleCloudStorageConstants.OBJECT_NAME, "inputs/job-1/1-photo.jpg",
        GoogleCloudStorageConstants.CONTENT_TYPE, "image/jpeg"), Blob.class);

    assertThat(uploaded.getSize()).isEqualTo(photo.length);
    assertThat(uploaded.getContentType()).isEqualTo("image/jpeg");
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "inputs/job-1/1-photo.jpg"))).isEqualTo(photo);
    assertThat(emulator.objectNames(BUCKET)).containsExactly("inputs/job-1/1-photo.jpg");

    List<?> listed = producer.requestBodyAndHeaders(ENDPOINT, null, Map.of(
        GoogleCloudStorageConstants.OPERATION, GoogleCloudStorageOperations.listObjects,
        GoogleCloudStorageConstants.PREFIX_NAME, "inputs/job-1/"), List.class);
    assertThat(listed).extracting(blob -> ((Blob) blob).getName()).containsExactly("inputs/job-1/1-photo.jpg");

    Boolean deleted = producer.requestBodyAndHeaders(ENDPOINT, null, Map.of(
        GoogleCloudStorageConstants.OPERATION, GoogleCloudStorageOperations.deleteObject,
        GoogleCloudStorageConstants.OBJECT_NAME, "inputs/job-1/1-photo.jpg"), Boolean.class);
    assertThat(deleted).isTrue();
    assertThat(emulator.objectNames(BUCKET)).isEmpty();
  }
}
