package cli;

import clients.GeminiClientFactory;
import clients.GeminiModels;
import clients.ModelCheck;
import clients.StorageFactory;
import clients.StorageSettings;
import com.google.cloud.storage.Acl;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.BucketInfo.LifecycleRule;
import com.google.cloud.storage.BucketInfo.LifecycleRule.LifecycleAction;
import com.google.cloud.storage.BucketInfo.LifecycleRule.LifecycleCondition;
import com.google.cloud.storage.Storage;
import com.google.genai.Client;
import config.PanelOneProperties;
import failures.SecretRedactor;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * {@code setup}: creates or fixes the bucket (uniform bucket-level access off so objects can be public, a 1-day
 * lifecycle rule), then proves it works end to end: upload, make public, fetch over HTTP, delete. Then it runs the
 * worker's own model check ({@link ModelCheck}, models.get) on GEMINI_STORY_MODEL and GEMINI_IMAGE_MODEL, so a
 * deployment learns on day one that a configured model is shut down.
 */
public final class SetupCommand {
    /** The lifecycle rule, written as the JSON the bucket API takes: delete objects one day old. */
    static final Map<String, Object> LIFECYCLE_RULE = Map.of(
            "action", Map.of("type", "Delete"),
            "condition", Map.of("age", 1));

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final PrintStream err;
    private final UnaryOperator<String> env;
    private final boolean color;

    private SetupCommand(PrintStream out, PrintStream err, UnaryOperator<String> env, boolean color) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.color = color;
    }

    /** Runs setup with settings looked up by {@code env}; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, UnaryOperator<String> env) {
        boolean color = System.console() != null && System.getenv("NO_COLOR") == null;
        return new SetupCommand(out, err, env, color).run();
    }

    private int run() {
        String emulator = blankToNull(env.apply("STORAGE_EMULATOR_HOST"));
        String credentials = blankToNull(env.apply("GOOGLE_APPLICATION_CREDENTIALS"));
        boolean onCloudRun = blankToNull(env.apply("K_SERVICE")) != null;
        if (emulator == null && credentials == null && !onCloudRun) {
            return fail("ERROR: No credentials found in .env (set GOOGLE_APPLICATION_CREDENTIALS to a service-account"
                    + " key file, or STORAGE_EMULATOR_HOST for an emulator)");
        }
        if (credentials != null && emulator == null && !Files.isRegularFile(Path.of(credentials))) {
            return fail("ERROR: GOOGLE_APPLICATION_CREDENTIALS points to " + credentials + ", which does not exist");
        }
        String project = blankToNull(env.apply("PROJECT_ID"));
        if (project == null && emulator == null) {
            return fail("ERROR: PROJECT_ID is not set");
        }
        String bucketName = blankToNull(env.apply("BUCKET_NAME")) == null ? "panel-one-outputs" : env.apply("BUCKET_NAME");
        String location = blankToNull(env.apply("BUCKET_LOCATION")) == null ? "US-CENTRAL1" : env.apply("BUCKET_LOCATION");

        try (Storage storage = StorageFactory.create(new StorageSettings(project == null ? "local-project" : project,
                emulator, emulator == null ? credentials : null, Duration.ofSeconds(10), Duration.ofSeconds(30), 3,
                Duration.ofSeconds(60)))) {
            String step = "bucket";
            try {
                ensureBucket(storage, bucketName, location);
                step = "smoke test";
                smokeTest(storage, bucketName, emulator);
            } catch (com.google.cloud.storage.StorageException e) {
                // Google's text says what is wrong (which permission, which bucket), so the operator keeps it, but it
                // names the service account's e-mail and can name the project number: redacted like every log line.
                return fail("ERROR: setup failed at the " + step + ": Cloud Storage answered " + e.getCode() + ": "
                        + SecretRedactor.redact(e.getMessage()));
            } catch (RuntimeException e) {
                return fail("ERROR: setup failed at the " + step + ": " + SecretRedactor.redact(e.getMessage()));
            }
        } catch (Exception e) {
            return fail("ERROR: could not reach Cloud Storage: " + SecretRedactor.redact(e.getMessage()));
        }
        ok("Bucket " + bucketName + " is ready: public objects allowed, objects deleted after 1 day.");
        return checkModels();
    }

    /** The worker's start-up check, reported: each model, what Google answered, and what to change. */
    private int checkModels() {
        String key = blankToNull(env.apply("GEMINI_API_KEY"));
        GeminiModels models = new GeminiModels(
                orDefault(env.apply("GEMINI_STORY_MODEL"), PanelOneProperties.Gemini.DEFAULT_STORY_MODEL),
                orDefault(env.apply("GEMINI_IMAGE_MODEL"), PanelOneProperties.Gemini.DEFAULT_IMAGE_MODEL));
        if (key == null) {
            out.println("Gemini models not checked: GEMINI_API_KEY is not set (the worker checks "
                    + models.story() + " and " + models.image() + " when it starts)");
            return 0;
        }
        boolean allServed = true;
        try (Client client = GeminiClientFactory.create(key, blankToNull(env.apply("GEMINI_BASE_URL")))) {
            for (ModelCheck.Result result : new ModelCheck(client, Duration.ofSeconds(30), key).check(models)) {
                if (result.served()) {
                    out.println("Gemini model " + result.describe());
                } else {
                    allServed = false;
                    err.println(color ? RED + "ERROR: " + result.describe() + RESET : "ERROR: " + result.describe());
                }
            }
        }
        if (!allServed) {
            return 1;
        }
        ok("Gemini serves both models; the worker will become ready.");
        return 0;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private void ensureBucket(Storage storage, String name, String location) {
        BucketInfo.IamConfiguration publicAllowed = BucketInfo.IamConfiguration.newBuilder()
                .setIsUniformBucketLevelAccessEnabled(false).build();
        List<LifecycleRule> rules = List.of(toRule(LIFECYCLE_RULE));
        Bucket bucket = storage.get(name);
        if (bucket == null) {
            storage.create(BucketInfo.newBuilder(name).setLocation(location).setIamConfiguration(publicAllowed)
                    .setLifecycleRules(rules).build());
            out.println("Created bucket " + name + " in " + location);
        } else {
            // Idempotent: an existing bucket has its settings put right instead of failing.
            bucket.toBuilder().setIamConfiguration(publicAllowed).setLifecycleRules(rules).build().update();
            out.println("Bucket " + name + " exists; settings updated");
        }
        out.println("Lifecycle rule: " + LIFECYCLE_RULE);
    }

    static LifecycleRule toRule(Map<String, Object> rule) {
        @SuppressWarnings("unchecked")
        Map<String, Object> condition = (Map<String, Object>) rule.get("condition");
        @SuppressWarnings("unchecked")
        Map<String, Object> action = (Map<String, Object>) rule.get("action");
        if (!"Delete".equals(action.get("type"))) {
            throw new IllegalArgumentException("Only Delete lifecycle rules are used");
        }
        return new LifecycleRule(LifecycleAction.newDeleteAction(),
                LifecycleCondition.newBuilder().setAge(((Number) condition.get("age")).intValue()).build());
    }

    private void smokeTest(Storage storage, String bucket, String emulator) {
        String object = "setup-smoke-test/" + UUID.randomUUID() + ".txt";
        byte[] content = ("Panel One setup smoke test " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        BlobId id = BlobId.of(bucket, object);
        storage.create(BlobInfo.newBuilder(id).setContentType("text/plain").build(), content);
        try {
            storage.createAcl(id, Acl.of(Acl.User.ofAllUsers(), Acl.Role.READER));
            String url = StorageFactory.publicUrl(emulator, bucket, object);
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || !Arrays.equals(response.body(), content)) {
                throw new IllegalStateException("the public URL " + url + " answered " + response.statusCode()
                        + (response.statusCode() == 200 ? " with different bytes" : ""));
            }
            out.println("Smoke test passed: uploaded, made public, fetched " + url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not fetch the public URL: " + e.getMessage(), e);
        } finally {
            storage.delete(id);
        }
    }

    private int fail(String message) {
        err.println(color ? RED + message + RESET : message);
        return 1;
    }

    private void ok(String message) {
        out.println(color ? GREEN + message + RESET : message);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
