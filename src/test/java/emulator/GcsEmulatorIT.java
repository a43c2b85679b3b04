package emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clients.StorageFactory;
import clients.StorageSettings;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Acl;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.BucketInfo.LifecycleRule;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real google-cloud-storage client, built by StorageFactory, against a GcsEmulator on a temporary folder. */
class GcsEmulatorIT {

  private static final String BUCKET = "panel-one-outputs";
  private static final byte[] PNG = "\u0089PNG fake panel bytes".getBytes(StandardCharsets.ISO_8859_1);

  @TempDir
  Path root;

  private GcsEmulator emulator;
  private Storage storage;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    emulator = GcsEmulator.start(root.resolve("objects"), 0);
    storage = storageWithReadTimeout(Duration.ofSeconds(10));
    storage.create(BucketInfo.of(BUCKET));
  }

  @AfterEach
  void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  @Test
  void bucketKeepsLifecycleRuleAndUniformAccessOffThroughUpdateAndGet() {
    Bucket created = storage.create(BucketInfo.newBuilder("setup-bucket")
        .setIamConfiguration(BucketInfo.IamConfiguration.newBuilder()
            .setIsUniformBucketLevelAccessEnabled(true).build())
        .build());
    assertThat(created.getIamConfiguration().isUniformBucketLevelAccessEnabled()).isTrue();

    LifecycleRule deleteAfterOneDay = new LifecycleRule(LifecycleRule.LifecycleAction.newDeleteAction(),
        LifecycleRule.LifecycleCondition.newBuilder().setAge(1).build());
    storage.update(created.toBuilder()
        .setLifecycleRules(List.of(deleteAfterOneDay))
        .setIamConfiguration(BucketInfo.IamConfiguration.newBuilder()
            .setIsUniformBucketLevelAccessEnabled(false).build())
        .build());

    Bucket fetched = storage.get("setup-bucket");
    assertThat(fetched.getLifecycleRules()).isEqualTo(List.of(deleteAfterOneDay));
    assertThat(fetched.getIamConfiguration().isUniformBucketLevelAccessEnabled()).isFalse();
    assertThat(fetched.getMetageneration()).isEqualTo(2L);
    assertThat(storage.get("no-such-bucket")).isNull();
  }

  @Test
  void creatingAnExistingBucketIsAConflict() {
    assertThatThrownBy(() -> storage.create(BucketInfo.of(BUCKET)))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void bytesUploadedWithPublicReadAreServedAtThePublicUrl() throws Exception {
    Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, "outputs/job 1/panel.png").setContentType("image/png").build(),
        PNG, Storage.BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ));

    assertThat(blob.getSize()).isEqualTo(PNG.length);
    assertThat(blob.getMd5()).isEqualTo(md5(PNG));
    assertThat(blob.getAcl()).anySatisfy(acl -> {
      assertThat(acl.getEntity()).isEqualTo(Acl.User.ofAllUsers());
      assertThat(acl.getRole()).isEqualTo(Acl.Role.READER);
    });
    HttpResponse<byte[]> response = fetch(StorageFactory.publicUrl(emulator.baseUrl(), BUCKET, blob.getName()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(PNG);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(Files.readAllBytes(root.resolve("objects").resolve(BUCKET).resolve("outputs/job 1/panel.png")))
        .isEqualTo(PNG);
  }

  @Test
  void createFromStreamsTwentyFiveMebibytesInChunksAndRoundTripsContentAndMd5() throws Exception {
    long size = 25L * 1024 * 1024;
    GeneratedStream upload = new GeneratedStream(size, 42);

    Blob blob = storage.createFrom(BlobInfo.newBuilder(BUCKET, "inputs/big/1-photo.jpg")
        .setContentType("image/jpeg").build(), upload);

    assertThat(blob.getSize()).isEqualTo(size);
    assertThat(blob.getMd5()).isEqualTo(upload.md5());
    assertThat(blob.getContentType()).isEqualTo("image/jpeg");
    // the writer sends 15 MiB chunks: at least one 308-acknowledged PUT before the final one
    assertThat(emulator.requestCount("PUT", "upload_id=")).isGreaterThanOrEqualTo(2);
    MessageDigest downloaded = MessageDigest.getInstance("MD5");
    try (ReadChannel reader = storage.reader(blob.getBlobId())) {
      ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
      while (reader.read(buffer) >= 0) {
        buffer.flip();
        downloaded.update(buffer);
        buffer.clear();
      }
    }
    assertThat(Base64.getEncoder().encodeToString(downloaded.digest())).isEqualTo(upload.md5());
  }

  @Test
  void createFromPathUploadsInOneResumablePut() throws Exception {
    Path file = root.resolve("story.txt");
    Files.writeString(file, "Once upon a panel");

    Blob blob = storage.createFrom(BlobInfo.newBuilder(BUCKET, "outputs/j/story.txt")
        .setContentType("text/plain").build(), file);

    assertThat(storage.readAllBytes(blob.getBlobId())).isEqualTo(Files.readAllBytes(file));
    assertThat(emulator.requestCount("POST", "uploadType=resumable")).isEqualTo(1);
  }

  @Test
  void downloadsWholeObjectsAndRanges() throws Exception {
    byte[] content = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    BlobId id = storage.create(BlobInfo.newBuilder(BUCKET, "inputs/j/range.bin").build(), content).getBlobId();

    assertThat(storage.readAllBytes(id)).isEqualTo(content);
    try (ReadChannel reader = storage.reader(id)) {
      reader.seek(10);
      reader.limit(15);
      ByteBuffer buffer = ByteBuffer.allocate(32);
      while (reader.read(buffer) >= 0) {
        // reads until the limit
      }
      assertThat(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    }
    assertThat(emulator.requestCount("GET", "alt=media")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void listsByPrefixAndAcrossPages() {
    for (String name : List.of("inputs/j1/1.png", "inputs/j1/2.png", "inputs/j2/1.png", "outputs/j1/panel.png")) {
      storage.create(BlobInfo.newBuilder(BUCKET, name).build(), PNG);
    }

    assertThat(names(storage.list(BUCKET, Storage.BlobListOption.prefix("inputs/j1/")).iterateAll()))
        .containsExactly("inputs/j1/1.png", "inputs/j1/2.png");
    assertThat(names(storage.list(BUCKET, Storage.BlobListOption.pageSize(1)).iterateAll()))
        .containsExactly("inputs/j1/1.png", "inputs/j1/2.png", "inputs/j2/1.png", "outputs/j1/panel.png");
    assertThat(emulator.requestCount("GET", "pageToken=")).isEqualTo(3);
    assertThat(emulator.objectNames(BUCKET)).hasSize(4);
  }

  @Test
  void deletedObjectsAreGoneWith404() {
    BlobId id = storage.create(BlobInfo.newBuilder(BUCKET, "inputs/j/gone.png").build(), PNG).getBlobId();

    assertThat(storage.delete(id)).isTrue();

    assertThat(storage.get(id)).isNull();
    assertThat(storage.delete(id)).isFalse();
    assertThatThrownBy(() -> storage.readAllBytes(id))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThat(root.resolve("objects").resolve(BUCKET).resolve("inputs")).doesNotExist();
  }

  @Test
  void createAclForAllUsersMakesAPrivateObjectPublic() throws Exception {
    BlobId id = storage.create(BlobInfo.newBuilder(BUCKET, "outputs/j/panel.png").setContentType("image/png").build(),
        PNG).getBlobId();
    String url = StorageFactory.publicUrl(emulator.baseUrl(), BUCKET, id.getName());
    assertThat(fetch(url).statusCode()).isEqualTo(403);

    Acl acl = storage.createAcl(id, Acl.of(Acl.User.ofAllUsers(), Acl.Role.READER));

    assertThat(acl.getEntity()).isEqualTo(Acl.User.ofAllUsers());
    HttpResponse<byte[]> response = fetch(url);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(PNG);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
  }

  @Test
  void uniformAccessBucketRefusesPublicReadUploads() {
    storage.create(BucketInfo.newBuilder("uniform-bucket").setIamConfiguration(BucketInfo.IamConfiguration.newBuilder()
        .setIsUniformBucketLevelAccessEnabled(true).build()).build());

    assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder("uniform-bucket", "x.png").build(), PNG,
        Storage.BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ)))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }

  @Test
  void transient503OnUploadsIsRetriedUntilTheyStick() {
    emulator.failNext("POST", "^/upload/", 503, 2);

    Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, "outputs/j/retried.png").build(), PNG);

    assertThat(storage.readAllBytes(blob.getBlobId())).isEqualTo(PNG);
    assertThat(emulator.requestCount("POST", "uploadType=multipart")).isEqualTo(3);
  }

  @Test
  void transient503OnAResumableChunkResumesTheSession() throws Exception {
    emulator.failNext("PUT", "upload_id=", 503, 1);
    GeneratedStream upload = new GeneratedStream(300_000, 7);

    Blob blob = storage.createFrom(BlobInfo.newBuilder(BUCKET, "inputs/j/chunked.jpg").build(), upload);

    assertThat(blob.getMd5()).isEqualTo(upload.md5());
    assertThat(emulator.requestCount("PUT", "upload_id=")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void persistent503SurfacesAsStorageException503AfterMaxAttempts() {
    emulator.failNext("POST", "^/upload/", 503, 100);

    assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder(BUCKET, "outputs/j/never.png").build(), PNG))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(503));
    assertThat(emulator.requestCount("POST", "^/upload/")).isEqualTo(4);
    assertThat(emulator.objectNames(BUCKET)).isEmpty();
  }

  @Test
  void stalledResponseTimesOutAndIsRetried() throws Exception {
    storage.create(BlobInfo.newBuilder(BUCKET, "outputs/j/slow.png").build(), PNG);
    try (Storage impatient = storageWithReadTimeout(Duration.ofMillis(500))) {
      emulator.hangNext("GET", "slow\\.png", Duration.ofSeconds(3));

      assertThat(impatient.get(BlobId.of(BUCKET, "outputs/j/slow.png"))).isNotNull();
    }
    assertThat(emulator.requestCount("GET", "slow\\.png")).isEqualTo(2);
  }

  @Test
  void faultsCanBeSetAndClearedOverHttp() throws Exception {
    HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/_emulator/faults"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"GET\",\"path\":\"/b/\",\"status\":403,\"times\":5}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(set.statusCode()).isEqualTo(204);
    assertThatThrownBy(() -> storage.get(BUCKET))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(403));

    http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/_emulator/faults")).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());

    assertThat(storage.get(BUCKET)).isNotNull();
  }

  @Test
  void namesThatWouldLeaveTheBucketFolderAreRefused() {
    assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder(BUCKET, "inputs/../../escaped.png").build(), PNG))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    assertThatThrownBy(() -> storage.createFrom(BlobInfo.newBuilder(BUCKET, "../escaped.png").build(),
        new GeneratedStream(10, 1)))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(400));

    assertThat(root.resolve("escaped.png")).doesNotExist();
    assertThat(root.resolve("objects").resolve("escaped.png")).doesNotExist();
    assertThat(emulator.objectNames(BUCKET)).isEmpty();
  }

  @Test
  void restartOnTheSameFolderStillServesObjects() throws Exception {
    storage.create(BlobInfo.newBuilder(BUCKET, "outputs/j/panel.png").setContentType("image/png").build(), PNG,
        Storage.BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ));
    storage.close();
    emulator.close();

    emulator = GcsEmulator.start(root.resolve("objects"), 0);
    storage = storageWithReadTimeout(Duration.ofSeconds(10));

    Blob blob = storage.get(BlobId.of(BUCKET, "outputs/j/panel.png"));
    assertThat(blob.getContentType()).isEqualTo("image/png");
    assertThat(blob.getMd5()).isEqualTo(md5(PNG));
    assertThat(storage.readAllBytes(blob.getBlobId())).isEqualTo(PNG);
    assertThat(fetch(StorageFactory.publicUrl(emulator.baseUrl(), BUCKET, blob.getName())).statusCode())
        .isEqualTo(200);
    assertThatThrownBy(() -> storage.create(BucketInfo.of(BUCKET)))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  private Storage storageWithReadTimeout(Duration readTimeout) {
    return StorageFactory.create(new StorageSettings("test-project", emulator.baseUrl(), null,
        Duration.ofSeconds(2), readTimeout, 4, Duration.ofSeconds(30)));
  }

  private HttpResponse<byte[]> fetch(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static List<String> names(Iterable<Blob> blobs) {
    return StreamSupport.stream(blobs.spliterator(), false).map(Blob::getName).toList();
  }

  private static String md5(byte[] bytes) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
  }

  /** Pseudo-random bytes made as they are read, so a large upload needs no large array in the test. */
  private static final class GeneratedStream extends InputStream {
    private final Random random;
    private final MessageDigest md5;
    private long left;
    private String digest;

    GeneratedStream(long size, long seed) {
      this.random = new Random(seed);
      this.left = size;
      try {
        this.md5 = MessageDigest.getInstance("MD5");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      md5.update(chunk);
      System.arraycopy(chunk, 0, target, off, n);
      left -= n;
      return n;
    }

    /** The MD5 of everything read; call it once the stream is used up. */
    String md5() {
      if (digest == null) {
        digest = Base64.getEncoder().encodeToString(md5.digest());
      }
      return digest;
    }
  }
}
