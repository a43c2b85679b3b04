package clients;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Builds the one {@link Storage} client: emulator, key file or the service identity, with deliberate retries. */
public final class StorageFactory {

  static final String DEFAULT_EMULATOR_PROJECT = "local-project";
  private static final String PUBLIC_HOST = "https://storage.googleapis.com";
  private static final Duration INITIAL_RETRY_DELAY = Duration.ofMillis(200);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);
  private static final double RETRY_DELAY_MULTIPLIER = 2.0;
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private StorageFactory() {
  }

  public static Storage create(StorageSettings settings) {
    HttpStorageOptions.Builder options = StorageOptions.http()
        .setTransportOptions(HttpTransportOptions.newBuilder()
            .setConnectTimeout(millis(settings.connectTimeout()))
            .setReadTimeout(millis(settings.readTimeout()))
            .build())
        .setRetrySettings(retrySettings(settings))
        // The default strategy retries uploads, deletes and ACL changes only with a generation precondition.
        // Every write Panel One makes is safe to repeat (fixed names per job, same bytes, same grant), so a
        // transient 5xx/429/IO error on any of them, Camel's precondition-less createFrom included, is retried.
        .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy());
    if (!isBlank(settings.emulatorHost())) {
      return options
          .setHost(normalizeHost(settings.emulatorHost()))
          .setProjectId(isBlank(settings.projectId()) ? DEFAULT_EMULATOR_PROJECT : settings.projectId())
          .setCredentials(NoCredentials.getInstance())
          .build()
          .getService();
    }
    if (!isBlank(settings.projectId())) {
      options.setProjectId(settings.projectId());
    }
    return options.setCredentials(credentials(settings.credentialsFile())).build().getService();
  }

  /**
   * The public URL of an object: {@code https://storage.googleapis.com/{bucket}/{object}}, or under the emulator host
   * when one is set; each segment of the object name is percent-encoded and its slashes kept.
   */
  public static String publicUrl(String emulatorHostOrNull, String bucket, String objectName) {
    String host = isBlank(emulatorHostOrNull) ? PUBLIC_HOST : normalizeHost(emulatorHostOrNull);
    StringBuilder url = new StringBuilder(host).append('/').append(encodeSegment(bucket));
    for (String segment : objectName.split("/", -1)) {
      url.append('/').append(encodeSegment(segment));
    }
    return url.toString();
  }

  /** Exponential backoff from 200 ms, doubling up to 10 s; gax always adds jitter (setJittered is deprecated). */
  static RetrySettings retrySettings(StorageSettings settings) {
    Duration total = settings.totalTimeout();
    return RetrySettings.newBuilder()
        .setMaxAttempts(settings.maxAttempts())
        .setTotalTimeoutDuration(total)
        .setInitialRetryDelayDuration(min(INITIAL_RETRY_DELAY, total))
        .setRetryDelayMultiplier(RETRY_DELAY_MULTIPLIER)
        .setMaxRetryDelayDuration(min(MAX_RETRY_DELAY, total))
        .setInitialRpcTimeoutDuration(total)
        .setRpcTimeoutMultiplier(1.0)
        .setMaxRpcTimeoutDuration(total)
        .build();
  }

  private static Credentials credentials(String credentialsFile) {
    if (isBlank(credentialsFile)) {
      try {
        return GoogleCredentials.getApplicationDefault();
      } catch (IOException e) {
        throw new IllegalStateException("No Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service-account"
            + " key file, or run where Application Default Credentials exist (Cloud Run, gcloud auth)", e);
      }
    }
    Path file = Path.of(credentialsFile);
    try (InputStream in = Files.newInputStream(file)) {
      return GoogleCredentials.fromStream(in);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("GOOGLE_APPLICATION_CREDENTIALS points to a missing file: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the credentials file " + file, e);
    }
  }

  /** Accepts {@code host:port} as some emulators document it, and drops a trailing slash to avoid {@code //}. */
  static String normalizeHost(String host) {
    String trimmed = host.trim();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.contains("://") ? trimmed : "http://" + trimmed;
  }

  private static String encodeSegment(String segment) {
    StringBuilder out = new StringBuilder(segment.length());
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0 && UNRESERVED.indexOf(b) >= 0) {
        out.append((char) b);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
      }
    }
    return out.toString();
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
