package emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder behind the emulator: {@code root/{bucket}/{object name}} holds the bytes, {@code root/.gcs-emulator} the
 * bucket resources, one metadata sidecar per object and upload scratch files.
 */
final class ObjectStore {

  private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);
  private static final String META_DIR = ".gcs-emulator";

  private final Path root;
  private final Path bucketMeta;
  private final Path objectMeta;
  private final Path scratch;
  private final ObjectMapper json;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastGeneration = new AtomicLong();

  /** One bucket's resource and object index; its monitor orders the writes to that bucket. */
  private static final class Bucket {
    private volatile ObjectNode resource;
    private final NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();

    private Bucket(ObjectNode resource) {
      this.resource = resource;
    }
  }

  ObjectStore(Path root, ObjectMapper json) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.bucketMeta = this.root.resolve(META_DIR).resolve("buckets");
    this.objectMeta = this.root.resolve(META_DIR).resolve("objects");
    this.scratch = this.root.resolve(META_DIR).resolve("uploads");
    this.json = json;
    Files.createDirectories(bucketMeta);
    Files.createDirectories(objectMeta);
    Files.createDirectories(scratch);
    load();
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  ObjectNode createBucket(ObjectNode body) {
    ObjectNode resource = Resources.newBucket(body, now());
    String name = resource.get("name").asText();
    if (buckets.putIfAbsent(name, new Bucket(resource)) != null) {
      throw ApiError.conflict("Your previous request to create the named bucket succeeded and you already own it.");
    }
    io(() -> Files.createDirectories(root.resolve(name)));
    writeJson(bucketMeta.resolve(name + ".json"), resource);
    return resource;
  }

  ObjectNode bucket(String name) {
    return requireBucket(name).resource;
  }

  List<ObjectNode> buckets() {
    return buckets.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getValue().resource).toList();
  }

  ObjectNode updateBucket(String name, UnaryOperator<ObjectNode> change) {
    Bucket bucket = requireBucket(name);
    synchronized (bucket) {
      bucket.resource = change.apply(bucket.resource);
      writeJson(bucketMeta.resolve(name + ".json"), bucket.resource);
      return bucket.resource;
    }
  }

  void deleteBucket(String name) {
    Bucket bucket = requireBucket(name);
    synchronized (bucket) {
      if (!bucket.objects.isEmpty()) {
        throw ApiError.conflict("The bucket you tried to delete is not empty.");
      }
      buckets.remove(name);
      io(() -> {
        Files.deleteIfExists(bucketMeta.resolve(name + ".json"));
        deleteTree(objectMeta.resolve(name));
        deleteTree(root.resolve(name));
      });
    }
  }

  Optional<StoredObject> find(String bucket, String name) {
    return Optional.ofNullable(requireBucket(bucket).objects.get(name));
  }

  StoredObject object(String bucket, String name) {
    return find(bucket, name).orElseThrow(() -> ApiError.notFound("No such object: " + bucket + "/" + name));
  }

  NavigableMap<String, StoredObject> objects(String bucket) {
    return requireBucket(bucket).objects;
  }

  Path file(StoredObject o) {
    return path(o.bucket(), o.name());
  }

  /** Where an object of that name would live; refuses names that would leave the bucket folder. */
  Path path(String bucket, String name) {
    return ObjectNames.resolve(root.resolve(ObjectNames.checkBucket(bucket)), name);
  }

  /** A scratch file for an upload in progress; it lives on the same disk so commit can rename it into place. */
  ContentSink newUpload() {
    return ContentSink.create(scratch.resolve(UUID.randomUUID().toString()));
  }

  void discard(ContentSink upload) {
    io(() -> {
      upload.close();
      Files.deleteIfExists(upload.file());
    });
  }

  /** Moves a finished upload into place as a new generation of the object, if {@code ifGenerationMatch} allows. */
  StoredObject commit(String bucketName, ObjectDraft draft, ContentSink content, Long ifGenerationMatch) {
    Bucket bucket = requireBucket(bucketName);
    Path target = path(bucketName, draft.name());
    try {
      content.close();
      synchronized (bucket) {
        checkGeneration(bucket.objects.get(draft.name()), ifGenerationMatch, bucketName, draft.name());
        moveIntoPlace(content.file(), target, draft.name());
        StoredObject object = draft.toObject(bucketName, nextGeneration(), content, now());
        writeJson(sidecar(object), object);
        bucket.objects.put(object.name(), object);
        return object;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      io(() -> Files.deleteIfExists(content.file()));
    }
  }

  /** Stores changed metadata (an ACL grant) of the current generation. */
  StoredObject replace(StoredObject changed) {
    Bucket bucket = requireBucket(changed.bucket());
    synchronized (bucket) {
      writeJson(sidecar(changed), changed);
      bucket.objects.put(changed.name(), changed);
      return changed;
    }
  }

  void delete(String bucketName, String name, Long ifGenerationMatch) {
    Bucket bucket = requireBucket(bucketName);
    synchronized (bucket) {
      StoredObject current = object(bucketName, name);
      checkGeneration(current, ifGenerationMatch, bucketName, name);
      bucket.objects.remove(name);
      io(() -> {
        Files.deleteIfExists(sidecar(current));
        Path file = file(current);
        Files.deleteIfExists(file);
        pruneEmptyFolders(file.getParent(), root.resolve(bucketName));
      });
    }
  }

  private Bucket requireBucket(String name) {
    Bucket bucket = buckets.get(name);
    if (bucket == null) {
      throw ApiError.notFound("The specified bucket does not exist: " + name);
    }
    return bucket;
  }

  private static void checkGeneration(StoredObject current, Long ifGenerationMatch, String bucket, String name) {
    if (ifGenerationMatch == null) {
      return;
    }
    long actual = current == null ? 0 : current.generation();
    if (actual != ifGenerationMatch) {
      throw ApiError.preconditionFailed("At least one of the pre-conditions you specified did not hold: "
          + bucket + "/" + name + " is at generation " + actual + ", not " + ifGenerationMatch);
    }
  }

  private static void moveIntoPlace(Path upload, Path target, String name) throws IOException {
    try {
      Files.createDirectories(target.getParent());
      if (Files.isDirectory(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      Files.move(upload, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      // "a" and "a/b" can both exist in GCS but not as a file and a folder of one name
      throw ApiError.conflict("Object name clashes with a folder or file of another object on disk: " + name);
    }
  }

  private long nextGeneration() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    return lastGeneration.accumulateAndGet(micros, (last, candidate) -> Math.max(last + 1, candidate));
  }

  private Path sidecar(StoredObject o) {
    return objectMeta.resolve(o.bucket()).resolve(sha256(o.name()) + ".json");
  }

  private void load() throws IOException {
    try (Stream<Path> files = Files.list(bucketMeta)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        ObjectNode resource = (ObjectNode) json.readTree(file.toFile());
        buckets.put(resource.get("name").asText(), new Bucket(resource));
      }
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(".") && !buckets.containsKey(name)) {
          createBucket(json.createObjectNode().put("name", name));
        }
      }
    }
    for (Map.Entry<String, Bucket> bucket : buckets.entrySet()) {
      loadObjects(bucket.getKey(), bucket.getValue());
    }
    log.info("Storage emulator folder {}: {} buckets", root, buckets.size());
  }

  private void loadObjects(String bucketName, Bucket bucket) throws IOException {
    Path sidecars = objectMeta.resolve(bucketName);
    Files.createDirectories(sidecars);
    try (Stream<Path> files = Files.list(sidecars)) {
      for (Path file : files.toList()) {
        StoredObject object = json.readValue(file.toFile(), StoredObject.class);
        Path data = file(object);
        if (Files.isRegularFile(data) && Files.size(data) == object.size()) {
          bucket.objects.put(object.name(), object);
          lastGeneration.accumulateAndGet(object.generation(), Math::max);
        } else {
          Files.delete(file);
        }
      }
    }
    Path bucketDir = root.resolve(bucketName);
    try (Stream<Path> files = Files.walk(bucketDir)) {
      for (Path data : files.filter(Files::isRegularFile).toList()) {
        String name = bucketDir.relativize(data).toString().replace(data.getFileSystem().getSeparator(), "/");
        if (!bucket.objects.containsKey(name)) {
          adopt(bucketName, bucket, name, data);
        }
      }
    } catch (NoSuchFileException e) {
      Files.createDirectories(bucketDir);
    }
  }

  /** Indexes a file that was put into a bucket folder by hand, as a private object. */
  private void adopt(String bucketName, Bucket bucket, String name, Path data) throws IOException {
    ContentSink hashes = ContentSink.hashOf(data);
    String contentType = Optional.ofNullable(Files.probeContentType(data)).orElse("application/octet-stream");
    ObjectDraft draft = new ObjectDraft(name, contentType, null, null, null, Map.of(), Resources.predefinedAcl(null));
    StoredObject object = draft.toObject(bucketName, nextGeneration(), hashes, now());
    writeJson(sidecar(object), object);
    bucket.objects.put(name, object);
  }

  private void writeJson(Path target, Object value) {
    io(() -> {
      Files.createDirectories(target.getParent());
      Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
      json.writeValue(temp.toFile(), value);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    });
  }

  private static void pruneEmptyFolders(Path folder, Path stopAt) throws IOException {
    for (Path dir = folder; dir != null && dir.startsWith(stopAt) && !dir.equals(stopAt); dir = dir.getParent()) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static String sha256(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no SHA-256", e);
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void io(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
