package emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Google Cloud Storage JSON-API emulator over a local folder, for tests, the {@code local} mode and benchmarks.
 * Point the storage client at {@link #baseUrl()} with {@code StorageOptions.http().setHost(..)} and no credentials.
 */
public final class GcsEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GcsEmulator.class);
  private static final String LOOPBACK = "127.0.0.1";

  private final HttpServer server;
  private final ExecutorService threads;
  private final ObjectStore store;
  private final UploadApi uploads;
  private final Faults faults = new Faults();
  private final RequestLog requests = new RequestLog();
  private final EmulatorHandler handler;
  private final String baseUrl;

  private GcsEmulator(Path root, String host, int port) throws IOException {
    this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    this.baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort();
    this.store = new ObjectStore(root, Exchanges.JSON);
    this.uploads = new UploadApi(store, baseUrl);
    this.threads = Executors.newCachedThreadPool(daemonThreads());
    this.handler = new EmulatorHandler(store, uploads, baseUrl, faults, requests);
    server.createContext("/", handler);
    server.setExecutor(threads);
    server.start();
  }

  /** Serves {@code root} on 127.0.0.1; port 0 picks a free one. */
  public static GcsEmulator start(Path root, int port) {
    return start(root, LOOPBACK, port);
  }

  /** Serves {@code root} on {@code host}, e.g. 0.0.0.0 when other containers must reach it. */
  public static GcsEmulator start(Path root, String host, int port) {
    try {
      GcsEmulator emulator = new GcsEmulator(root, host, port);
      log.info("Storage emulator serving {} at {}", root.toAbsolutePath(), emulator.baseUrl);
      return emulator;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the storage emulator on " + host + ":" + port, e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash: the value for {@code STORAGE_EMULATOR_HOST}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** Answers the next {@code times} requests with {@code method} ({@code *} for any) and a target (path and query)
   * in which {@code pathRegex} is found with {@code status}, in Google's JSON error format. */
  public void failNext(String method, String pathRegex, int status, int times) {
    faults.fail(method, pathRegex, status, times);
  }

  /**
   * Like {@link #failNext(String, String, int, int)}, answering with Google's error {@code message}: real storage
   * errors name the caller's service account ("x@p.iam.gserviceaccount.com does not have storage.objects.create
   * access …").
   */
  public void failNext(String method, String pathRegex, int status, String message, int times) {
    faults.fail(method, pathRegex, status, message, times);
  }

  /** Holds the next matching request for {@code delay} before serving it, as a stalled backend would. */
  public void hangNext(String method, String pathRegex, Duration delay) {
    faults.hang(method, pathRegex, delay, 1);
  }

  /** Delays every storage request by this much, as the network to a real bucket would. */
  public void setLatency(Duration latency) {
    handler.setLatency(latency);
  }

  public void clearFaults() {
    faults.clear();
  }

  /** Names of the objects in {@code bucket}, in order. */
  public List<String> objectNames(String bucket) {
    return new ArrayList<>(store.objects(bucket).keySet());
  }

  /** Storage requests served since start (fault control requests not counted). */
  public long requestCount() {
    return requests.total();
  }

  /** Among the last 10,000 requests, those with {@code method} ({@code *} for any) whose target matches. */
  public long requestCount(String method, String pathRegex) {
    return requests.count(method, pathRegex);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    uploads.close();
    log.info("Storage emulator at {} stopped", baseUrl);
  }

  /**
   * {@code --port 4443 --dir .panel-one/objects [--host 127.0.0.1] [--latency-ms 0]}; runs until the process is
   * stopped. Control: {@code POST /_emulator/latency {"ms":N}}; {@code GET /_emulator/requests} answers the request
   * count and the time spent answering ({@link BusyClock}).
   */
  public static void main(String[] args) {
    int port = 4443;
    Path dir = Path.of(".panel-one", "objects");
    String host = LOOPBACK;
    long latencyMs = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--host" -> host = args[i + 1];
        case "--latency-ms" -> latencyMs = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException(
            "Unknown option " + args[i] + "; use --port, --dir, --host, --latency-ms");
      }
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException(
          "Every option needs a value: --port N --dir PATH --host ADDRESS --latency-ms N");
    }
    GcsEmulator emulator = start(dir, host, port);
    emulator.setLatency(Duration.ofMillis(latencyMs));
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "gcs-emulator-shutdown"));
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "gcs-emulator-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
