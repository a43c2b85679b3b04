package config;

import java.util.regex.Pattern;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Checks {@link PanelOneProperties} once it is bound, so a bad setting stops the start with a message naming it.
 *
 * <p>Spring Boot applies the bean named {@code configurationPropertiesValidator} to every {@code @ConfigurationProperties}
 * object it binds; this one supports only ours. It replaces Bean Validation (Hibernate Validator): binding the
 * properties with it was the slowest bean of the API's start in Spring's step recording, and without it a start
 * costs about 7 % less CPU (BENCHMARKS.md, "Where the image's API launch goes"). Every problem is a global error with fixed wording, never a field error: Spring Boot's
 * failure report prints a field error's value, and {@code REDIS_URL} and {@code PANEL_API_KEYS} carry secrets.
 */
@Component(EnableConfigurationProperties.VALIDATOR_BEAN_NAME)
public class PanelOnePropertiesValidator implements Validator {
    private static final Pattern MODEL_ID = Pattern.compile(PanelOneProperties.Gemini.MODEL_ID);

    @Override
    public boolean supports(Class<?> type) {
        return PanelOneProperties.class.equals(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        PanelOneProperties panel = (PanelOneProperties) target;
        Problems problems = new Problems(errors);
        problems.notBlank(panel.projectId(), "panel.project-id (projectId, PROJECT_ID)");
        problems.notBlank(panel.bucket(), "panel.bucket (bucket, BUCKET_NAME)");
        problems.notBlank(panel.redisUrl(), "panel.redis-url (redisUrl, REDIS_URL)");
        problems.check(panel.redisUrl() == null || panel.isRedisUrlValid(), RedisUrlCheck.MESSAGE);
        problems.notBlank(panel.apiUrl(), "panel.api-url (apiUrl, API_URL)");
        problems.check(panel.isCredentialsFilePresent(),
                "GOOGLE_APPLICATION_CREDENTIALS points to a file that does not exist");
        problems.between(panel.managementPort(), 0, 65535, "panel.management-port (managementPort, MANAGEMENT_PORT)");
        if (problems.present(panel.limits(), "panel.limits")) {
            limits(panel.limits(), problems);
        }
        if (problems.present(panel.worker(), "panel.worker")) {
            worker(panel.worker(), problems);
        }
        if (problems.present(panel.gemini(), "panel.gemini")) {
            gemini(panel.gemini(), problems);
        }
        if (problems.present(panel.jobs(), "panel.jobs")) {
            PanelOneProperties.Jobs jobs = panel.jobs();
            problems.present(jobs.retention(), "panel.jobs.retention (retention)");
            problems.present(jobs.idempotencyWindow(), "panel.jobs.idempotency-window (idempotencyWindow)");
            problems.atLeast(jobs.historySize(), 1, "panel.jobs.history-size (historySize)");
            problems.present(jobs.subscriberRefresh(), "panel.jobs.subscriber-refresh (subscriberRefresh)");
        }
        if (problems.present(panel.cors(), "panel.cors")) {
            problems.notBlank(panel.cors().allowedOrigins(),
                    "panel.cors.allowed-origins (allowedOrigins, CORS_ALLOWED_ORIGINS)");
        }
        if (problems.present(panel.access(), "panel.access")) {
            PanelOneProperties.Access access = panel.access();
            problems.between(access.clientJobsPerHour(), 1, 1_000_000,
                    "panel.access.client-jobs-per-hour (clientJobsPerHour, PANEL_CLIENT_JOBS_PER_HOUR)");
            problems.between(access.dailyJobBudget(), 1, 100_000_000,
                    "panel.access.daily-job-budget (dailyJobBudget, PANEL_DAILY_JOB_BUDGET)");
            problems.check(access.isEveryKeyWellFormed(),
                    "PANEL_API_KEYS: every key must be 16 to 128 characters of A-Z a-z 0-9 . _ ~ -");
        }
    }

    private static void limits(PanelOneProperties.Limits limits, Problems problems) {
        problems.between(limits.maxFiles(), 1, 100, "panel.limits.max-files (maxFiles)");
        problems.present(limits.maxFileSize(), "panel.limits.max-file-size (maxFileSize)");
        problems.present(limits.maxRequestSize(), "panel.limits.max-request-size (maxRequestSize)");
        problems.present(limits.maxPartHeaderSize(), "panel.limits.max-part-header-size (maxPartHeaderSize)");
        problems.present(limits.uploadIdleTimeout(),
                "panel.limits.upload-idle-timeout (uploadIdleTimeout, PANEL_UPLOAD_IDLE_TIMEOUT)");
        problems.present(limits.minUploadRate(), "panel.limits.min-upload-rate (minUploadRate, PANEL_MIN_UPLOAD_RATE)");
        problems.atLeast(limits.maxImagePixels(), 1,
                "panel.limits.max-image-pixels (maxImagePixels, PANEL_MAX_IMAGE_PIXELS)");
        problems.check(limits.isPartHeaderSizeReadable(), "panel.limits.max-part-header-size must be between 1KB and 32KB");
        problems.check(limits.isUploadIdleTimeoutSensible(),
                "panel.limits.upload-idle-timeout must be between 1s and 300s");
    }

    private static void worker(PanelOneProperties.Worker worker, Problems problems) {
        problems.between(worker.maxConcurrentJobs(), 1, 1000,
                "panel.worker.max-concurrent-jobs (maxConcurrentJobs, PANEL_MAX_CONCURRENT_JOBS)");
        problems.present(worker.jobTimeout(), "panel.worker.job-timeout (jobTimeout)");
        problems.present(worker.downloadTimeout(), "panel.worker.download-timeout (downloadTimeout)");
        problems.present(worker.reclaimAfter(), "panel.worker.reclaim-after (reclaimAfter, PANEL_RECLAIM_AFTER)");
        problems.present(worker.heartbeat(), "panel.worker.heartbeat (heartbeat, PANEL_HEARTBEAT)");
        problems.atLeast(worker.maxDeliveries(), 1, "panel.worker.max-deliveries (maxDeliveries)");
        problems.notBlank(worker.tempDir(), "panel.worker.temp-dir (tempDir)");
        problems.present(worker.handBackAfter(), "panel.worker.hand-back-after (handBackAfter, PANEL_HAND_BACK_AFTER)");
        problems.present(worker.maxPhotoBytes(), "panel.worker.max-photo-bytes (maxPhotoBytes, PANEL_MAX_PHOTO_BYTES)");
        problems.check(worker.isHandBackWithinShutdown(),
                "panel.worker.hand-back-after must be between 0 and 6s (Cloud Run kills 10 s after SIGTERM)");
        problems.check(worker.isHeartbeatShorterThanReclaim(),
                "panel.worker.heartbeat must be shorter than panel.worker.reclaim-after");
    }

    private static void gemini(PanelOneProperties.Gemini gemini, Problems problems) {
        modelId(gemini.storyModel(), "panel.gemini.story-model (storyModel)", "GEMINI_STORY_MODEL", problems);
        modelId(gemini.imageModel(), "panel.gemini.image-model (imageModel)", "GEMINI_IMAGE_MODEL", problems);
        problems.present(gemini.modelCheckInterval(),
                "panel.gemini.model-check-interval (modelCheckInterval, GEMINI_MODEL_CHECK_INTERVAL)");
        problems.present(gemini.modelCheckMaxBackoff(), "panel.gemini.model-check-max-backoff (modelCheckMaxBackoff)");
        problems.between(gemini.maxAttempts(), 1, 10, "panel.gemini.max-attempts (maxAttempts)");
        problems.present(gemini.initialBackoff(), "panel.gemini.initial-backoff (initialBackoff)");
        problems.present(gemini.maxBackoff(), "panel.gemini.max-backoff (maxBackoff)");
        problems.present(gemini.callTimeout(), "panel.gemini.call-timeout (callTimeout)");
        problems.present(gemini.filesCallTimeout(), "panel.gemini.files-call-timeout (filesCallTimeout)");
        problems.present(gemini.photos(), "panel.gemini.photos (photos, PANEL_GEMINI_PHOTOS)");
        problems.check(gemini.isModelCheckIntervalSensible(), "panel.gemini.model-check-interval must be at least 10s");
        problems.check(gemini.isModelCheckMaxBackoffSensible(),
                "panel.gemini.model-check-max-backoff must be between 1s and 10m");
    }

    private static void modelId(String model, String name, String variable, Problems problems) {
        if (problems.notBlank(model, name)) {
            problems.check(MODEL_ID.matcher(model).matches(), name + " " + PanelOneProperties.Gemini.MODEL_ID_MESSAGE
                    + variable);
        }
    }

    /** Each failed check becomes one global error whose message is the given text (never the value). */
    private record Problems(Errors errors) {
        boolean check(boolean holds, String message) {
            if (!holds) {
                errors.reject("panel.invalid", message);
            }
            return holds;
        }

        boolean present(Object value, String name) {
            return check(value != null, name + " must be set");
        }

        boolean notBlank(String value, String name) {
            return check(value != null && !value.isBlank(), name + " must not be blank");
        }

        void between(long value, long min, long max, String name) {
            check(value >= min && value <= max, name + " must be between " + min + " and " + max);
        }

        void atLeast(long value, long min, String name) {
            check(value >= min, name + " must be at least " + min);
        }
    }
}
