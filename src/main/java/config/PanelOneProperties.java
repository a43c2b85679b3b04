package config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Every setting Panel One reads, bound from application.yaml (itself fed by SPEC §5 environment variables). */
@Validated
@ConfigurationProperties("panel")
public record PanelOneProperties(
        @NotBlank String projectId,
        @NotBlank String bucket,
        String storageEmulatorHost,
        String credentialsFile,
        // Checked by an @AssertTrue, not @Pattern: a failed @Pattern prints the value, password included.
        @NotBlank String redisUrl,
        @NotBlank String apiUrl,
        @Valid @NotNull Limits limits,
        @Valid @NotNull Worker worker,
        @Valid @NotNull Gemini gemini,
        @Valid @NotNull Jobs jobs,
        @Valid @NotNull Cors cors) {

    /** Upload limits of POST /generate. */
    public record Limits(
            @Min(1) @Max(100) @DefaultValue("10") int maxFiles,
            @NotNull @DefaultValue("20MB") DataSize maxFileSize,
            @NotNull @DefaultValue("60MB") DataSize maxRequestSize,
            // Room for long file names; the names are sanitised before use anyway.
            @NotNull @DefaultValue("8KB") DataSize maxPartHeaderSize) {

        @AssertTrue(message = "panel.limits.max-part-header-size must be between 1KB and 32KB")
        public boolean isPartHeaderSizeReadable() {
            return maxPartHeaderSize == null
                    || (maxPartHeaderSize.toBytes() >= 1024 && maxPartHeaderSize.toBytes() <= 32 * 1024);
        }
    }

    /** How the worker takes and runs jobs. */
    public record Worker(
            @Min(1) @Max(1000) @DefaultValue("50") int maxConcurrentJobs,
            @NotNull @DefaultValue("590s") Duration jobTimeout,
            @NotNull @DefaultValue("60s") Duration downloadTimeout,
            @NotNull @DefaultValue("60s") Duration reclaimAfter,
            @NotNull @DefaultValue("15s") Duration heartbeat,
            @Min(1) @DefaultValue("3") int maxDeliveries,
            @NotBlank @DefaultValue("${java.io.tmpdir}/panel-one") String tempDir,
            // On SIGTERM, how long jobs in hand may take to finish before they are handed to another worker. Cloud
            // Run kills the container 10 s after SIGTERM, and the rest of the shutdown needs some of that.
            @NotNull @DefaultValue("5s") Duration handBackAfter) {

        @AssertTrue(message = "panel.worker.hand-back-after must be between 0 and 6s (Cloud Run kills 10 s after SIGTERM)")
        public boolean isHandBackWithinShutdown() {
            return handBackAfter == null
                    || (!handBackAfter.isNegative() && handBackAfter.compareTo(Duration.ofSeconds(6)) <= 0);
        }

        @AssertTrue(message = "panel.worker.heartbeat must be shorter than panel.worker.reclaim-after")
        public boolean isHeartbeatShorterThanReclaim() {
            return heartbeat == null || reclaimAfter == null || heartbeat.compareTo(reclaimAfter) < 0;
        }
    }

    /** Gemini access; the model ids themselves are constants, never configuration. */
    public record Gemini(
            String apiKey,
            String baseUrl,
            @Min(1) @Max(10) @DefaultValue("5") int maxAttempts,
            @NotNull @DefaultValue("1s") Duration initialBackoff,
            @NotNull @DefaultValue("30s") Duration maxBackoff,
            @NotNull @DefaultValue("240s") Duration callTimeout) {}

    /** How long job records and idempotency keys live, and how much history GET /jobs can show. */
    public record Jobs(
            @NotNull @DefaultValue("7d") Duration retention,
            @NotNull @DefaultValue("24h") Duration idempotencyWindow,
            @Min(1) @DefaultValue("1000") int historySize,
            // How often the API re-reads the job of every open WebSocket: the bound on how long a lost event can
            // keep a subscriber waiting.
            @NotNull @DefaultValue("10s") Duration subscriberRefresh) {}

    /** Cross-origin access to the API and WebSocket. */
    public record Cors(@NotBlank @DefaultValue("*") String allowedOrigins) {}

    @AssertTrue(message = RedisUrlCheck.MESSAGE)
    public boolean isRedisUrlValid() {
        return redisUrl == null || RedisUrlCheck.isRedisUrl(redisUrl);
    }

    @AssertTrue(message = "GOOGLE_APPLICATION_CREDENTIALS points to a file that does not exist")
    public boolean isCredentialsFilePresent() {
        return credentialsFile == null || credentialsFile.isBlank() || Files.isRegularFile(Path.of(credentialsFile));
    }

    public boolean usesStorageEmulator() {
        return storageEmulatorHost != null && !storageEmulatorHost.isBlank();
    }
}
