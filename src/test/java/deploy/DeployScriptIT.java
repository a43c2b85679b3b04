package deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy.sh run for real by bash in a copy of the repository root, against a stub {@code gcloud} that records
 * every call and answers like a logged-in project would.
 */
class DeployScriptIT {

    private static final String URL = "https://panel-one-api-xyz-uc.a.run.app";
    private static final List<String> ROOT_FILES =
            List.of("deploy.sh", "cloudbuild.yaml", "Dockerfile", "Dockerfile.worker", "pom.xml", ".env.example");
    private static final String VALID_ENV = """
            PROJECT_ID=demo-project
            BUCKET_NAME=demo-bucket
            """;

    @TempDir
    Path tmp;

    private Path repo;
    private Path bin;
    private Path log;

    /** What the stub answers; each test changes what it needs before {@link #run}. */
    private String account = "deployer@example.com";
    private int secretsDescribeExit = 0;
    /** Exit of `gcloud secrets describe panel-api-keys` (key mode when 0); the other secrets use the field above. */
    private int apiKeysSecretDescribeExit = 0;
    private int repositoryDescribeExit = 0;
    private int iamBindingExit = 0;
    private int serviceAccountDescribeExit = 0;
    private int bucketDescribeExit = 0;
    private String buildAccount = "";

    private record Result(int exit, String stdout, String stderr, List<List<String>> calls) {

        boolean called(String... prefix) {
            return calls.stream().anyMatch(c -> c.size() >= prefix.length
                    && c.subList(0, prefix.length).equals(Arrays.asList(prefix)));
        }

        int indexOf(List<String> call) {
            return calls.indexOf(call);
        }
    }

    @BeforeEach
    void copyRepository() throws IOException {
        repo = Files.createDirectories(tmp.resolve("repo"));
        for (String name : ROOT_FILES) {
            Files.copy(Repo.file(name), repo.resolve(name));
        }
        bin = Files.createDirectories(tmp.resolve("bin"));
        log = tmp.resolve("gcloud.log");
    }

    private static String bash() {
        return Stream.of("/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("bash not found"));
    }

    /** A gcloud that logs its argv, one call a line, fields separated by \x1f, and answers from the fields above. */
    private void writeStubGcloud() throws IOException {
        String script = """
                #!@BASH@
                IFS=$'\\x1f'
                printf '%s\\n' "$*" >> '@LOG@'
                unset IFS
                case "$1 $2 $3" in
                  "auth list "*) if [[ -n '@ACCOUNT@' ]]; then printf '%s\\n' '@ACCOUNT@'; fi ;;
                  "secrets describe panel-api-keys") exit @APIKEYS@ ;;
                  "secrets describe "*) exit @SECRETS@ ;;
                  "secrets create "*) data=$(</dev/stdin); printf '%s' "$data" > '@TMP@/secret-'"$3" ;;
                  "artifacts repositories describe") exit @REPOSITORY@ ;;
                  "run services add-iam-policy-binding") exit @IAM@ ;;
                  "run services describe") printf '%s\\n' '@URL@' ;;
                  "iam service-accounts describe") exit @SADESCRIBE@ ;;
                  "storage buckets describe") exit @BUCKET@ ;;
                  "beta services identity") printf '%s\\n' '@AGENT@' ;;
                  "builds get-default-service-account "*) if [[ -n '@BUILDSA@' ]]; then printf '%s\\n' '@BUILDSA@'; fi ;;
                esac
                exit 0
                """
                .replace("@BASH@", bash())
                .replace("@LOG@", log.toString())
                .replace("@TMP@", tmp.toString())
                .replace("@ACCOUNT@", account)
                .replace("@SECRETS@", String.valueOf(secretsDescribeExit))
                .replace("@APIKEYS@", String.valueOf(apiKeysSecretDescribeExit))
                .replace("@REPOSITORY@", String.valueOf(repositoryDescribeExit))
                .replace("@IAM@", String.valueOf(iamBindingExit))
                .replace("@AGENT@", GEMINI_AGENT)
                .replace("@URL@", URL)
                .replace("@SADESCRIBE@", String.valueOf(serviceAccountDescribeExit))
                .replace("@BUCKET@", String.valueOf(bucketDescribeExit))
                .replace("@BUILDSA@", buildAccount);
        Path gcloud = bin.resolve("gcloud");
        Files.writeString(gcloud, script);
        assertThat(gcloud.toFile().setExecutable(true)).isTrue();
    }

    private void writeEnv(String content) throws IOException {
        Files.writeString(repo.resolve(".env"), content);
    }

    private Result run(Path workingDir, String path, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        writeStubGcloud();
        Files.writeString(log, "");
        List<String> command = new ArrayList<>(List.of(bash(), workingDir.equals(repo) ? "deploy.sh" : "repo/deploy.sh"));
        command.addAll(List.of(args));
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // Nothing from the machine running the tests: its PATH may hold a real gcloud, its env a PROJECT_ID.
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().put("HOME", tmp.toString());
        builder.environment().put("LC_ALL", "C");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deploy.sh did not finish within 60 s");
        }
        List<List<String>> calls = Files.readAllLines(log).stream()
                .map(line -> List.of(line.split("\u001f", -1))).toList();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err), calls);
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return run(repo, bin.toString(), Map.of(), args);
    }

    @Test
    void submitsTheBuildOpensTheApiAndPrintsItsUrl() throws Exception {
        writeEnv(VALID_ENV);

        Result result = run();

        assertThat(result.exit()).as(result.stderr()).isZero();
        List<String> submit = List.of("builds", "submit", ".", "--project=demo-project", "--config=cloudbuild.yaml",
                "--substitutions=^|^_REGION=us-central1|_REPOSITORY=panel-one|_BUCKET_NAME=demo-bucket|"
                        + "_API_SERVICE=panel-one-api|_WORKER_SERVICE=panel-one-worker|"
                        + "_GEMINI_STORY_MODEL=gemini-3.1-pro-preview|_GEMINI_IMAGE_MODEL=gemini-3-pro-image|_GEMINI_PHOTOS=register|"
                        + "_API_SECRETS=REDIS_URL=redis-url:latest,PANEL_API_KEYS=panel-api-keys:latest");
        List<String> openApi = List.of("run", "services", "add-iam-policy-binding", "panel-one-api",
                "--project=demo-project", "--region=us-central1", "--member=allUsers", "--role=roles/run.invoker");
        List<String> describe = List.of("run", "services", "describe", "panel-one-api", "--project=demo-project",
                "--region=us-central1", "--format=value(status.url)");
        assertThat(result.calls()).containsExactly(
                List.of("auth", "list", "--filter=status:ACTIVE", "--format=value(account)"),
                List.of("secrets", "describe", "gemini-api-key", "--project=demo-project"),
                List.of("secrets", "describe", "redis-url", "--project=demo-project"),
                List.of("artifacts", "repositories", "describe", "panel-one", "--project=demo-project",
                        "--location=us-central1"),
                List.of("storage", "buckets", "describe", "gs://demo-bucket", "--project=demo-project"),
                List.of("iam", "service-accounts", "describe", API_SA, "--project=demo-project"),
                List.of("iam", "service-accounts", "describe", WORKER_SA, "--project=demo-project"),
                bucketRole(API_SA, "roles/storage.objectUser"),
                bucketRole(WORKER_SA, "roles/storage.objectAdmin"),
                List.of("beta", "services", "identity", "create", "--service=generativelanguage.googleapis.com",
                        "--project=demo-project", "--format=value(email)"),
                bucketRole(GEMINI_AGENT, "roles/storage.objectViewer"),
                secretAccess("redis-url", API_SA),
                secretAccess("redis-url", WORKER_SA),
                secretAccess("gemini-api-key", WORKER_SA),
                List.of("secrets", "describe", "panel-api-keys", "--project=demo-project"),
                secretAccess("panel-api-keys", API_SA),
                List.of("builds", "get-default-service-account", "--project=demo-project",
                        "--format=value(serviceAccountEmail)"),
                submit, openApi, describe);
        assertThat(result.stdout()).contains("Panel One API: " + URL);
    }

    private static final String API_SA = "panel-one-api@demo-project.iam.gserviceaccount.com";
    private static final String WORKER_SA = "panel-one-worker@demo-project.iam.gserviceaccount.com";
    /** What the stub answers for the Gemini API's service agent. */
    private static final String GEMINI_AGENT = "service-123456789@gcp-sa-generativelanguage.iam.gserviceaccount.com";

    private static List<String> bucketRole(String account, String role) {
        return List.of("storage", "buckets", "add-iam-policy-binding", "gs://demo-bucket", "--project=demo-project",
                "--member=serviceAccount:" + account, "--role=" + role);
    }

    private static List<String> secretAccess(String secret, String account) {
        return List.of("secrets", "add-iam-policy-binding", secret, "--project=demo-project",
                "--member=serviceAccount:" + account, "--role=roles/secretmanager.secretAccessor");
    }

    /**
     * --set-secrets replaces all of a service's secrets, so key mode must come from the deploy itself: with the
     * secret panel-api-keys the API gets PANEL_API_KEYS on every deploy, without it only REDIS_URL (open mode).
     */
    @Test
    void keepsKeyModeOnEveryDeployWhenTheApiKeysSecretExists() throws Exception {
        writeEnv(VALID_ENV);

        Result keyMode = run();
        apiKeysSecretDescribeExit = 1;
        Result openMode = run();

        assertThat(keyMode.exit()).as(keyMode.stderr()).isZero();
        assertThat(openMode.exit()).as(openMode.stderr()).isZero();
        assertThat(substitution(keyMode, "_API_SECRETS"))
                .isEqualTo("REDIS_URL=redis-url:latest,PANEL_API_KEYS=panel-api-keys:latest");
        assertThat(keyMode.stdout()).contains("Key mode");
        assertThat(substitution(openMode, "_API_SECRETS")).isEqualTo("REDIS_URL=redis-url:latest");
        assertThat(openMode.calls()).doesNotContain(secretAccess("panel-api-keys", API_SA));
        assertThat(openMode.stdout()).contains("Open mode");
        // deploy.sh never creates the keys secret: open mode stays the default.
        assertThat(openMode.called("secrets", "create")).isFalse();
    }

    /** One substitution of the `builds submit` call, read the way gcloud does (a leading ^X^ sets the separator). */
    private static String substitution(Result result, String name) {
        String flag = result.calls().get(callIndex(result, "builds", "submit")).stream()
                .filter(a -> a.startsWith("--substitutions=")).findFirst().orElseThrow()
                .substring("--substitutions=".length());
        String separator = ",";
        if (flag.startsWith("^")) {
            int end = flag.indexOf('^', 1);
            separator = flag.substring(1, end);
            flag = flag.substring(end + 1);
        }
        for (String pair : flag.split(Pattern.quote(separator))) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return kv[1];
            }
        }
        throw new AssertionError("no substitution " + name + " in " + flag);
    }

    /** Each service gets its own account, created when missing, never the Compute Engine default one. */
    @Test
    void createsTheServiceAccountsWhenMissingAndLetsCloudBuildActAsThem() throws Exception {
        writeEnv(VALID_ENV);
        serviceAccountDescribeExit = 1;
        buildAccount = "projects/demo-project/serviceAccounts/builder@demo-project.iam.gserviceaccount.com";

        Result result = run();

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.calls()).contains(
                List.of("iam", "service-accounts", "create", "panel-one-api", "--project=demo-project",
                        "--display-name=Panel One API"),
                List.of("iam", "service-accounts", "create", "panel-one-worker", "--project=demo-project",
                        "--display-name=Panel One worker"),
                List.of("iam", "service-accounts", "add-iam-policy-binding", API_SA, "--project=demo-project",
                        "--member=serviceAccount:builder@demo-project.iam.gserviceaccount.com",
                        "--role=roles/iam.serviceAccountUser"),
                List.of("iam", "service-accounts", "add-iam-policy-binding", WORKER_SA, "--project=demo-project",
                        "--member=serviceAccount:builder@demo-project.iam.gserviceaccount.com",
                        "--role=roles/iam.serviceAccountUser"));
        assertThat(result.calls()).noneMatch(call -> String.join(" ", call).contains("compute@developer"));
    }

    @Test
    void stopsWhenTheBucketDoesNotExistYet() throws Exception {
        writeEnv(VALID_ENV);
        bucketDescribeExit = 1;

        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("bucket demo-bucket does not exist").contains("setup");
        assertThat(result.called("builds", "submit")).isFalse();
    }

    @Test
    void takesRegionAndNamesFromDotEnvAndTheEnvironmentOverDotEnv() throws Exception {
        writeEnv("""
                # comments and blank lines are fine

                export PROJECT_ID=from-dotenv
                BUCKET_NAME="quoted-bucket"
                REGION=europe-west1
                ARTIFACT_REPOSITORY=images
                API_SERVICE=my-api
                WORKER_SERVICE=my-worker
                """);

        Result result = run(repo, bin.toString(), Map.of("PROJECT_ID", "from-environment"));

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.calls()).contains(
                List.of("builds", "submit", ".", "--project=from-environment", "--config=cloudbuild.yaml",
                        "--substitutions=^|^_REGION=europe-west1|_REPOSITORY=images|_BUCKET_NAME=quoted-bucket|"
                                + "_API_SERVICE=my-api|_WORKER_SERVICE=my-worker|"
                                + "_GEMINI_STORY_MODEL=gemini-3.1-pro-preview|_GEMINI_IMAGE_MODEL=gemini-3-pro-image|_GEMINI_PHOTOS=register|"
                                + "_API_SECRETS=REDIS_URL=redis-url:latest,PANEL_API_KEYS=panel-api-keys:latest"),
                List.of("run", "services", "add-iam-policy-binding", "my-api", "--project=from-environment",
                        "--region=europe-west1", "--member=allUsers", "--role=roles/run.invoker"));
    }

    @Test
    void namesAMissingProjectIdAndBuildsNothing() throws Exception {
        writeEnv("BUCKET_NAME=demo-bucket\n");

        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("PROJECT_ID").doesNotContain("BUCKET_NAME");
        assertThat(result.called("builds")).isFalse();
    }

    @Test
    void treatsTheExamplePlaceholdersAsMissing() throws Exception {
        Files.copy(repo.resolve(".env.example"), repo.resolve(".env"));

        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("PROJECT_ID");
        assertThat(result.called("builds")).isFalse();
    }

    @Test
    void pointsToTheExampleWhenThereIsNoDotEnv() throws Exception {
        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("PROJECT_ID", "BUCKET_NAME", ".env.example");
        assertThat(result.calls()).isEmpty();
    }

    @Test
    void saysSoWhenGcloudIsNotInstalled() throws Exception {
        writeEnv(VALID_ENV);
        Path empty = Files.createDirectories(tmp.resolve("empty-bin"));

        Result result = run(repo, empty.toString(), Map.of());

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("gcloud not found").contains("install");
    }

    @Test
    void saysSoWhenNobodyIsLoggedIn() throws Exception {
        writeEnv(VALID_ENV);
        account = "";

        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("gcloud auth login");
        assertThat(result.called("builds")).isFalse();
    }

    @Test
    void refusesToRunOutsideTheRepositoryRoot() throws Exception {
        writeEnv(VALID_ENV);

        Result result = run(tmp, bin.toString(), Map.of());

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("repository root");
        assertThat(result.calls()).isEmpty();
    }

    @Test
    void createsMissingSecretsFromDotEnvThroughStdin() throws Exception {
        String key = "test-gemini-key-123";
        String redis = "rediss://default:secret-password@example.upstash.io:6379";
        writeEnv(VALID_ENV + "GEMINI_API_KEY=" + key + "\nREDIS_URL=" + redis + "\n");
        secretsDescribeExit = 1;

        Result result = run();

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.calls()).contains(
                List.of("secrets", "create", "gemini-api-key", "--project=demo-project",
                        "--replication-policy=automatic", "--data-file=-"),
                List.of("secrets", "create", "redis-url", "--project=demo-project",
                        "--replication-policy=automatic", "--data-file=-"));
        assertThat(Files.readString(tmp.resolve("secret-gemini-api-key"))).isEqualTo(key);
        assertThat(Files.readString(tmp.resolve("secret-redis-url"))).isEqualTo(redis);
        // Secret values never appear on a command line, where `ps` would show them.
        assertThat(result.calls()).allSatisfy(call -> assertThat(call).noneMatch(
                arg -> arg.contains(key) || arg.contains("secret-password")));
        assertThat(result.indexOf(List.of("secrets", "create", "redis-url", "--project=demo-project",
                "--replication-policy=automatic", "--data-file=-")))
                .isLessThan(callIndex(result, "builds", "submit"));
    }

    @Test
    void refusesToPublishALocalRedisUrlAsTheProductionSecret() throws Exception {
        writeEnv(VALID_ENV + "GEMINI_API_KEY=some-key\nREDIS_URL=redis://localhost:6379\n");
        secretsDescribeExit = 1;

        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("redis-url", "rediss://");
        // Nothing is created when something is missing.
        assertThat(result.called("secrets", "create")).isFalse();
        assertThat(result.called("builds")).isFalse();
    }

    @Test
    void namesEveryMissingSecretValue() throws Exception {
        writeEnv(VALID_ENV);
        secretsDescribeExit = 1;

        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("gemini-api-key", "GEMINI_API_KEY", "redis-url", "REDIS_URL");
        assertThat(result.called("builds")).isFalse();
    }

    @Test
    void createsTheArtifactRegistryRepositoryWhenMissing() throws Exception {
        writeEnv(VALID_ENV);
        repositoryDescribeExit = 1;

        Result result = run();

        assertThat(result.exit()).as(result.stderr()).isZero();
        List<String> create = List.of("artifacts", "repositories", "create", "panel-one", "--project=demo-project",
                "--location=us-central1", "--repository-format=docker", "--description=Panel One images");
        assertThat(result.calls()).contains(create);
        assertThat(result.indexOf(create)).isLessThan(callIndex(result, "builds", "submit"));
    }

    @Test
    void enablesTheApisWhenAsked() throws Exception {
        writeEnv(VALID_ENV);

        Result result = run("--enable-apis");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.calls().get(1)).containsExactly("services", "enable", "run.googleapis.com",
                "cloudbuild.googleapis.com", "artifactregistry.googleapis.com", "secretmanager.googleapis.com",
                "storage.googleapis.com", "generativelanguage.googleapis.com", "--project=demo-project");
        assertThat(run().called("services", "enable")).as("not without the flag").isFalse();
    }

    @Test
    void stopsWithAHintWhenTheApiCannotBeMadePublic() throws Exception {
        writeEnv(VALID_ENV);
        iamBindingExit = 1;

        Result result = run();

        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("allUsers");
        assertThat(result.stdout()).doesNotContain(URL);
        assertThat(result.called("run", "services", "describe")).isFalse();
    }

    @Test
    void deployAndBenchScriptsAreCleanUnderShellcheck() throws Exception {
        Optional<Path> shellcheck = Arrays.stream(
                        Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "shellcheck")).filter(Files::isExecutable).findFirst();
        assumeThat(shellcheck).as("shellcheck on PATH (apt-get install -y shellcheck)").isPresent();

        Process process = new ProcessBuilder(shellcheck.get().toString(), "deploy.sh", "bench/run.sh", "bench/burst.sh")
                .directory(Repo.root().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
    }

    private static int callIndex(Result result, String... prefix) {
        for (int i = 0; i < result.calls().size(); i++) {
            List<String> call = result.calls().get(i);
            if (call.size() >= prefix.length && call.subList(0, prefix.length).equals(Arrays.asList(prefix))) {
                return i;
            }
        }
        throw new AssertionError("no call " + Arrays.toString(prefix) + " in " + result.calls());
    }
}
