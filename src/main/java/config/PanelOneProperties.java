package config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Every setting Panel One reads, bound from application.yaml (itself fed by the environment variables the README lists). */
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
        // MANAGEMENT_PORT: actuator (readiness, Prometheus, info), never the public $PORT; 0 picks a free port.
        @Min(0) @Max(65535) @DefaultValue("8081") int managementPort,
        @Valid @NotNull Limits limits,
        @Valid @NotNull Worker worker,
        @Valid @NotNull Gemini gemini,
        @Valid @NotNull Jobs jobs,
        @Valid @NotNull Cors cors,
        @Valid @NotNull Access access) {

    /** Upload limits of POST /generate. */
    public record Limits(
            @Min(1) @Max(100) @DefaultValue("10") int maxFiles,
            @NotNull @DefaultValue("20MB") DataSize maxFileSize,
            @NotNull @DefaultValue("60MB") DataSize maxRequestSize,
            // Room for long file names; the names are sanitised before use anyway.
            @NotNull @DefaultValue("8KB") DataSize maxPartHeaderSize,
            // An upload silent this long is cut off (a trickling client must not hold a slot and a temp folder).
            @NotNull @DefaultValue("20s") Duration uploadIdleTimeout,
            // Bytes per second an upload must average once uploadIdleTimeout has passed.
            @NotNull @DefaultValue("32KB") DataSize minUploadRate,
            // Declared width × height over this is refused as a decompression bomb; see images.ImageLimits.
            @Min(1) @DefaultValue("300000000") long maxImagePixels) {

        @AssertTrue(message = "panel.limits.max-part-header-size must be between 1KB and 32KB")
        public boolean isPartHeaderSizeReadable() {
            return maxPartHeaderSize == null
                    || (maxPartHeaderSize.toBytes() >= 1024 && maxPartHeaderSize.toBytes() <= 32 * 1024);
        }

        @AssertTrue(message = "panel.limits.upload-idle-timeout must be between 1s and 300s")
        public boolean isUploadIdleTimeoutSensible() {
            return uploadIdleTimeout == null
                    || (uploadIdleTimeout.toMillis() >= 1000 && uploadIdleTimeout.toSeconds() <= 300);
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
            @NotNull @DefaultValue("5s") Duration handBackAfter,
            // Photos one worker holds on disk at once (on Cloud Run /tmp is memory): downloads wait for room.
            @NotNull @DefaultValue("512MB") DataSize maxPhotoBytes) {

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

    /**
     * Gemini access and the one model per stage. The model ids follow Google's lifecycle (preview models retire
     * within months), so they are configuration, checked against Gemini before the worker serves.
     *
     * @param storyModel GEMINI_STORY_MODEL, the text model that writes every story
     * @param imageModel GEMINI_IMAGE_MODEL, the image model that draws every panel
     * @param modelCheckInterval how often a running worker asks Gemini again whether its models are still served
     * @param modelCheckMaxBackoff cap on the wait between start-up checks while Gemini cannot be reached
     * @param callTimeout cap on one attempt of a model call (an image may take minutes)
     * @param filesCallTimeout cap on one attempt of a Files API call (a photo's upload, files:register)
     * @param photos PANEL_GEMINI_PHOTOS: how Gemini gets a job's photos (README, "Photos: registered or uploaded")
     */
    public record Gemini(
            String apiKey,
            String baseUrl,
            @NotBlank @Pattern(regexp = MODEL_ID, message = MODEL_ID_MESSAGE + "GEMINI_STORY_MODEL")
            @DefaultValue(DEFAULT_STORY_MODEL) String storyModel,
            @NotBlank @Pattern(regexp = MODEL_ID, message = MODEL_ID_MESSAGE + "GEMINI_IMAGE_MODEL")
            @DefaultValue(DEFAULT_IMAGE_MODEL) String imageModel,
            @NotNull @DefaultValue("10m") Duration modelCheckInterval,
            @NotNull @DefaultValue("60s") Duration modelCheckMaxBackoff,
            @Min(1) @Max(10) @DefaultValue("5") int maxAttempts,
            @NotNull @DefaultValue("1s") Duration initialBackoff,
            @NotNull @DefaultValue("30s") Duration maxBackoff,
            @NotNull @DefaultValue("240s") Duration callTimeout,
            @NotNull @DefaultValue("60s") Duration filesCallTimeout,
            @NotNull @DefaultValue("upload") PhotoSource photos) {

        /** How Gemini gets a job's photos. */
        public enum PhotoSource {
            /** The worker downloads them from storage and uploads them through Gemini's Files API. */
            UPLOAD,
            /**
             * The worker checks they are in storage and registers them ({@code files:register}); Gemini reads them
             * from the bucket itself. Needs the service agent's read grant on the bucket (deploy.sh gives it).
             */
            REGISTER
        }

        /** Google's designated replacement for the shut-down gemini-3-pro-preview. */
        public static final String DEFAULT_STORY_MODEL = "gemini-3.1-pro-preview";
        /** The generally available Nano Banana Pro, replacing the shut-down gemini-3-pro-image-preview. */
        public static final String DEFAULT_IMAGE_MODEL = "gemini-3-pro-image";
        /** A bare Gemini model id as models.get and generateContent take it (no "models/" prefix, no path). */
        static final String MODEL_ID = "[a-z0-9][a-z0-9.-]{0,126}";
        static final String MODEL_ID_MESSAGE = "must be a Gemini model id such as gemini-3.1-pro-preview "
                + "(lower-case letters, digits, dots and dashes, no models/ prefix): check ";

        @AssertTrue(message = "panel.gemini.model-check-interval must be at least 10s")
        public boolean isModelCheckIntervalSensible() {
            return modelCheckInterval == null || modelCheckInterval.compareTo(Duration.ofSeconds(10)) >= 0;
        }

        @AssertTrue(message = "panel.gemini.model-check-max-backoff must be between 1s and 10m")
        public boolean isModelCheckMaxBackoffSensible() {
            return modelCheckMaxBackoff == null || (modelCheckMaxBackoff.compareTo(Duration.ofSeconds(1)) >= 0
                    && modelCheckMaxBackoff.compareTo(Duration.ofMinutes(10)) <= 0);
        }
    }

    /** How long job records and idempotency keys live, and how much history GET /jobs can show. */
    public record Jobs(
            @NotNull @DefaultValue("7d") Duration retention,
            @NotNull @DefaultValue("24h") Duration idempotencyWindow,
            @Min(1) @DefaultValue("1000") int historySize,
            // How often the API re-reads the job of every open WebSocket: the bound on how long a lost event can
            // keep a subscriber waiting.
            @NotNull @DefaultValue("10s") Duration subscriberRefresh) {}

    /**
     * Who may use the API and how much (docs/API.md, "Clients, history and limits"). No API key is ever part of a
     * validation message: the checks below are {@code @AssertTrue}s with fixed wording.
     */
    public record Access(
            // Comma-separated in PANEL_API_KEYS; empty means open mode.
            @NotNull @DefaultValue("") List<String> apiKeys,
            @Min(1) @Max(1_000_000) @DefaultValue("20") int clientJobsPerHour,
            @Min(1) @Max(100_000_000) @DefaultValue("500") int dailyJobBudget) {

        /** What a bearer token (open mode) or key (key mode) may look like: 16 to 128 URL-safe characters. */
        private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9._~-]{16,128}");

        public static boolean isWellFormedToken(String token) {
            return token != null && TOKEN.matcher(token).matches();
        }

        public Access {
            apiKeys = apiKeys == null ? List.of()
                    : apiKeys.stream().map(String::trim).filter(key -> !key.isEmpty()).toList();
        }

        /** Key mode: only holders of one of the keys may start jobs or read a history. */
        public boolean keyMode() {
            return !apiKeys.isEmpty();
        }

        @AssertTrue(message = "PANEL_API_KEYS: every key must be 16 to 128 characters of A-Z a-z 0-9 . _ ~ -")
        public boolean isEveryKeyWellFormed() {
            return apiKeys.stream().allMatch(Access::isWellFormedToken);
        }
    }

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
