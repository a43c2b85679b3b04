package clients;

import java.time.Duration;

/**
 * How to reach Cloud Storage: an emulator when {@code emulatorHost} is set (STORAGE_EMULATOR_HOST), else a
 * service-account key file when {@code credentialsFile} is set (GOOGLE_APPLICATION_CREDENTIALS), else Application
 * Default Credentials; plus the timeouts and retry budget every call gets.
 */
public record StorageSettings(
    String projectId,
    String emulatorHost,
    String credentialsFile,
    Duration connectTimeout,
    Duration readTimeout,
    int maxAttempts,
    Duration totalTimeout) {

  public StorageSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    requirePositive("totalTimeout", totalTimeout);
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
    }
  }
}
