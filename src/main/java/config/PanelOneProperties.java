package config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every setting Panel One reads, bound from application.yaml (itself fed by the environment variables the README lists).
 * Checked once bound by {@link PanelOnePropertiesValidator}: plain Java, not Bean Validation, whose bootstrap made
 * this the slowest bean of the API's start (BENCHMARKS.md, "Where the image's API launch goes").
 */
@ConfigurationProperties("panel")
public record PanelOneProperties(
        String projectId,
        String bucket,
        String storageEmulatorHost,
        String credentialsFile,
        // Checked with a fixed message that never shows the value: the URL may carry a password.
        String redisUrl,
        String apiUrl,
        // MANAGEMENT_PORT: actuator (readiness, Prometheus, info), never the public $PORT; 0 picks a free port.
        @DefaultValue("8081") int managementPort,
        Limits limits,
        Worker worker,
        Gemini gemini,
        Jobs jobs,
        Cors cors,
        Access access) {

    /** Upload limits of POST /generate. */
    public record Limits(
            @DefaultValue("10") int maxFiles,
            @DefaultValue("20MB") DataSize maxFileSize,
            @DefaultValue("60MB") DataSize maxRequestSize,
            // Room for long file names; the names are sanitised before use anyway.
            @DefaultValue("8KB") DataSize maxPartHeaderSize,
            // An upload silent this long is cut off (a trickling client must not hold a slot and a temp folder).
            @DefaultValue("20s") Duration uploadIdleTimeout,
            // Bytes per second an upload must average once uploadIdleTimeout has passed.
            @DefaultValue("32KB") DataSize minUploadRate,
            // Declared width × height over this is refused as a decompression bomb; see images.ImageLimits.
            @DefaultValue("300000000") long maxImagePixels) {

        public boolean isPartHeaderSizeReadable() {
            return maxPartHeaderSize == null
                    || (maxPartHeaderSize.toBytes() >= 1024 && maxPartHeaderSize.toBytes() <= 32 * 1024);
        }

        public boolean isUploadIdleTimeoutSensible() {
            return uploadIdleTimeout == null
                    || (uploadIdleTimeout.toMillis() >= 1000 && uploadIdleTimeout.toSeconds() <= 300);
        }
    }

    /** How the worker takes and runs jobs. */
    public record Worker(
            @DefaultValue("50") int maxConcurrentJobs,
            @DefaultValue("590s") Duration jobTimeout,
            @DefaultValue("60s") Duration downloadTimeout,
            @DefaultValue("60s") Duration reclaimAfter,
            @DefaultValue("15s") Duration heartbeat,
            @DefaultValue("3") int maxDeliveries,
            @DefaultValue("${java.io.tmpdir}/panel-one") String tempDir,
            // On SIGTERM, how long jobs in hand may take to finish before they are handed to another worker. Cloud
            // Run kills the container 10 s after SIGTERM, and the rest of the shutdown needs some of that.
            @DefaultValue("5s") Duration handBackAfter,
            // Photos one worker holds on disk at once (on Cloud Run /tmp is memory): downloads wait for room.
            @DefaultValue("512MB") DataSize maxPhotoBytes) {

        public boolean isHandBackWithinShutdown() {
            return handBackAfter == null
                    || (!handBackAfter.isNegative() && handBackAfter.compareTo(Duration.ofSeconds(6)) <= 0);
        }

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
            @DefaultValue(DEFAULT_STORY_MODEL) String storyModel,
            @DefaultValue(DEFAULT_IMAGE_MODEL) String imageModel,
            @DefaultValue("10m") Duration modelCheckInterval,
            @DefaultValue("60s") Duration modelCheckMaxBackoff,
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("240s") Duration callTimeout,
            @DefaultValue("60s") Duration filesCallTimeout,
            @DefaultValue("upload") PhotoSource photos) {

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
        public boolean isModelCheckIntervalSensible() {
            return modelCheckInterval == null || modelCheckInterval.compareTo(Duration.ofSeconds(10)) >= 0;
        }

        public boolean isModelCheckMaxBackoffSensible() {
            return modelCheckMaxBackoff == null || (modelCheckMaxBackoff.compareTo(Duration.ofSeconds(1)) >= 0
                    && modelCheckMaxBackoff.compareTo(Duration.ofMinutes(10)) <= 0);
        }
    }

    /** How long job records and idempotency keys live, and how much history GET /jobs can show. */
    public record Jobs(
            @DefaultValue("7d") Duration retention,
            @DefaultValue("24h") Duration idempotencyWindow,
            @DefaultValue("1000") int historySize,
            // How often the API re-reads the job of every open WebSocket: the bound on how long a lost event can
            // keep a subscriber waiting.
            @DefaultValue("10s") Duration subscriberRefresh) {}

    /**
     * Who may use the API and how much (docs/API.md, "Clients, history and limits"). No API key is ever part of a
     * validation message: the checks have fixed wording.
     */
    public record Access(
            // Comma-separated in PANEL_API_KEYS; empty means open mode.
            @DefaultValue("") List<String> apiKeys,
            @DefaultValue("20") int clientJobsPerHour,
            @DefaultValue("500") int dailyJobBudget) {

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

        public boolean isEveryKeyWellFormed() {
            return apiKeys.stream().allMatch(Access::isWellFormedToken);
        }
    }

    /** Cross-origin access to the API and WebSocket. */
    public record Cors(@DefaultValue("*") String allowedOrigins) {}

    public boolean isRedisUrlValid() {
        return redisUrl == null || RedisUrlCheck.isRedisUrl(redisUrl);
    }

    public boolean isCredentialsFilePresent() {
        return credentialsFile == null || credentialsFile.isBlank() || Files.isRegularFile(Path.of(credentialsFile));
    }

    public boolean usesStorageEmulator() {
        return storageEmulatorHost != null && !storageEmulatorHost.isBlank();
    }
}
