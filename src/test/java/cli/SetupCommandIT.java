package cli;

import static org.assertj.core.api.Assertions.assertThat;

import clients.StorageFactory;
import clients.StorageSettings;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo.LifecycleRule;
import com.google.cloud.storage.Storage;
import emulator.GcsEmulator;
import emulator.GeminiEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code setup} against a storage emulator: bucket settings, smoke test, clean failures. */
class SetupCommandIT {
    @TempDir
    Path root;

    private GcsEmulator gcs;
    private Storage storage;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        gcs = GcsEmulator.start(root, 0);
        storage = StorageFactory.create(new StorageSettings("p", gcs.baseUrl(), null, Duration.ofSeconds(5),
                Duration.ofSeconds(10), 1, Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() throws Exception {
        storage.close();
        gcs.close();
    }

    private int setup(Map<String, String> env) {
        return SetupCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
    }

    private Map<String, String> emulatorEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("STORAGE_EMULATOR_HOST", gcs.baseUrl());
        env.put("BUCKET_NAME", "panel-setup-test");
        return env;
    }

    @Test
    void createsAPublicCapableBucketWithAOneDayLifecycleAndProvesItWorks() {
        assertThat(setup(emulatorEnv())).as(err.toString()).isZero();

        Bucket bucket = storage.get("panel-setup-test");
        assertThat(bucket).isNotNull();
        assertThat(bucket.getIamConfiguration().isUniformBucketLevelAccessEnabled()).isFalse();
        assertThat(bucket.getLifecycleRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getAction().getActionType()).isEqualTo(LifecycleRule.DeleteLifecycleAction.TYPE);
            assertThat(rule.getCondition().getAge()).isEqualTo(1);
        });
        assertThat(out.toString()).contains("Smoke test passed");
        // The smoke test's object is gone again.
        assertThat(gcs.objectNames("panel-setup-test")).isEmpty();
    }

    @Test
    void aSecondRunFixesTheExistingBucketInsteadOfFailing() {
        assertThat(setup(emulatorEnv())).isZero();
        Bucket bucket = storage.get("panel-setup-test");
        bucket.toBuilder().setLifecycleRules(java.util.List.of()).setIamConfiguration(
                com.google.cloud.storage.BucketInfo.IamConfiguration.newBuilder()
                        .setIsUniformBucketLevelAccessEnabled(true).build()).build().update();

        assertThat(setup(emulatorEnv())).as(err.toString()).isZero();

        Bucket fixed = storage.get("panel-setup-test");
        assertThat(fixed.getIamConfiguration().isUniformBucketLevelAccessEnabled()).isFalse();
        assertThat(fixed.getLifecycleRules()).hasSize(1);
        assertThat(out.toString()).contains("exists; settings updated");
    }

    @Test
    void aRefusedUploadAbortsWithAClearMessageAndNonZeroExit() {
        gcs.failNext("POST", "/upload/storage/v1/b/panel-setup-test/o", 403, 10);
        int code = setup(emulatorEnv());
        assertThat(code).isNotZero();
        assertThat(err.toString()).startsWith("ERROR: setup failed at the smoke test").contains("403");
    }

    /** Cloud Storage's own text names the service account and the project number; the operator gets the rest. */
    @Test
    void aStorageErrorNamingTheServiceAccountIsPrintedWithoutIt() {
        String account = "panel-one-api@demo-project.iam.gserviceaccount.com";
        gcs.failNext("POST", "/upload/storage/v1/b/panel-setup-test/o", 403, account
                + " does not have storage.objects.create access to the Google Cloud Storage object in project"
                + " 123456789012.", 10);

        int code = setup(emulatorEnv());

        assertThat(code).isNotZero();
        assertThat(err.toString()).startsWith("ERROR: setup failed at the smoke test")
                .contains("403", "does not have storage.objects.create access")
                .doesNotContain(account, "panel-one-api@", "123456789012");
        assertThat(out.toString()).doesNotContain(account, "123456789012");
    }

    @Test
    void withoutCredentialsItSaysSoAndExitsNonZero() {
        int code = setup(Map.of("PROJECT_ID", "my-project"));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("ERROR: No credentials found in .env");
    }

    @Test
    void aCredentialsFileThatDoesNotExistIsNamed() {
        int code = setup(Map.of("GOOGLE_APPLICATION_CREDENTIALS", root.resolve("missing.json").toString(),
                "PROJECT_ID", "my-project"));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("missing.json").contains("does not exist");
    }

    @Test
    void itRunsTheWorkersModelCheckAndReportsBothModelsServed() {
        try (GeminiEmulator gemini = GeminiEmulator.start(0)) {
            Map<String, String> env = emulatorEnv();
            env.put("GEMINI_API_KEY", "setup-key");
            env.put("GEMINI_BASE_URL", gemini.baseUrl());

            assertThat(setup(env)).as(err.toString()).isZero();

            assertThat(out.toString())
                    .contains("GEMINI_STORY_MODEL=gemini-3.1-pro-preview is served and supports generateContent")
                    .contains("GEMINI_IMAGE_MODEL=gemini-3-pro-image is served and supports generateContent");
            assertThat(gemini.lookupCount("gemini-3.1-pro-preview")).isEqualTo(1);
            assertThat(gemini.lookupCount("gemini-3-pro-image")).isEqualTo(1);
        }
    }

    @Test
    void aShutDownModelIsReportedWithGooglesAnswerAndTheVariableAndExitsNonZero() {
        try (GeminiEmulator gemini = GeminiEmulator.start(0)) {
            Map<String, String> env = emulatorEnv();
            env.put("GEMINI_API_KEY", "setup-key");
            env.put("GEMINI_BASE_URL", gemini.baseUrl());
            env.put("GEMINI_IMAGE_MODEL", "gemini-3-pro-image-preview");

            assertThat(setup(env)).isEqualTo(1);

            assertThat(out.toString()).contains("Bucket panel-setup-test is ready")
                    .contains("GEMINI_STORY_MODEL=gemini-3.1-pro-preview is served");
            assertThat(err.toString()).isEqualTo("ERROR: GEMINI_IMAGE_MODEL=gemini-3-pro-image-preview cannot be used:"
                    + " Google answered 404 NOT_FOUND: models/gemini-3-pro-image-preview is not found for API version"
                    + " v1beta, or is not supported for get. Call ListModels to see the list of available models and"
                    + " their supported methods.; set GEMINI_IMAGE_MODEL to a model Google serves (see the Gemini API"
                    + " deprecations page) and restart" + System.lineSeparator());
        }
    }
}
