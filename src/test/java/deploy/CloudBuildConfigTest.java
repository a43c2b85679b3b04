package deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** cloudbuild.yaml: both images built, pushed and deployed with the flags the README's deployment section describes. */
class CloudBuildConfigTest {

    private static final String API_IMAGE =
            "${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPOSITORY}/panel-one-api:$BUILD_ID";
    private static final String WORKER_IMAGE =
            "${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPOSITORY}/panel-one-worker:$BUILD_ID";
    private static final Pattern USER_SUBSTITUTION = Pattern.compile("\\$\\{?(_[A-Z0-9_]+)\\}?");

    private static Map<String, Object> config;
    private static List<Map<String, Object>> steps;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader reader = Files.newBufferedReader(Repo.file("cloudbuild.yaml"))) {
            config = new Yaml().load(reader);
        }
        steps = (List<Map<String, Object>>) config.get("steps");
    }

    @SuppressWarnings("unchecked")
    private static List<String> args(Map<String, Object> step) {
        return ((List<Object>) step.getOrDefault("args", List.of())).stream().map(String::valueOf).toList();
    }

    private static String id(Map<String, Object> step) {
        return String.valueOf(step.get("id"));
    }

    private static Map<String, Object> dockerStep(String verb, String image) {
        List<Map<String, Object>> found = steps.stream()
                .filter(s -> String.valueOf(s.get("name")).startsWith("gcr.io/cloud-builders/docker"))
                .filter(s -> !args(s).isEmpty() && args(s).get(0).equals(verb))
                .filter(s -> args(s).contains(image) || args(s).contains("--tag=" + image)
                        || args(s).contains("-t") && args(s).get(args(s).indexOf("-t") + 1).equals(image))
                .toList();
        assertThat(found).as("docker %s step for %s", verb, image).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> deployStep(String service) {
        List<Map<String, Object>> found = steps.stream()
                .filter(s -> args(s).size() > 2 && args(s).subList(0, 3).equals(List.of("run", "deploy", service)))
                .toList();
        assertThat(found).as("gcloud run deploy %s", service).hasSize(1);
        Map<String, Object> step = found.get(0);
        boolean gcloud = "gcloud".equals(step.get("entrypoint"))
                || String.valueOf(step.get("name")).equals("gcr.io/cloud-builders/gcloud");
        assertThat(gcloud).as("%s runs gcloud", id(step)).isTrue();
        return step;
    }

    /** The --flag=value arguments of a step; a bare --flag maps to "". */
    private static Map<String, String> flags(Map<String, Object> step) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args(step)) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                flags.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
            }
        }
        return flags;
    }

    private static Map<String, String> pairs(String commaSeparated) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : commaSeparated.split(",")) {
            String[] kv = pair.split("=", 2);
            pairs.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return pairs;
    }

    /** A value with each user substitution replaced by its default, as a build without --substitutions sees it. */
    @SuppressWarnings("unchecked")
    private static String withDefaults(String value) {
        Map<String, Object> defaults = (Map<String, Object>) config.get("substitutions");
        return USER_SUBSTITUTION.matcher(value).replaceAll(
                m -> Matcher.quoteReplacement(String.valueOf(defaults.get(m.group(1)))));
    }

    /** Steps a step waits for, directly or not: no waitFor means every step before it, "-" means none. */
    @SuppressWarnings("unchecked")
    private static Set<String> dependencies(Map<String, Object> step) {
        Set<String> result = new HashSet<>();
        int index = steps.indexOf(step);
        Object waitFor = step.get("waitFor");
        List<String> direct = waitFor == null
                ? steps.subList(0, index).stream().map(CloudBuildConfigTest::id).toList()
                : ((List<Object>) waitFor).stream().map(String::valueOf).filter(w -> !w.equals("-")).toList();
        for (String id : direct) {
            result.add(id);
            steps.stream().filter(s -> id(s).equals(id)).findFirst()
                    .ifPresent(s -> result.addAll(dependencies(s)));
        }
        return result;
    }

    private static Set<String> substitutionsUsedIn(Object node, Set<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (!"substitutions".equals(k)) {
                    substitutionsUsedIn(v, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> substitutionsUsedIn(v, into));
        } else if (node != null) {
            Matcher m = USER_SUBSTITUTION.matcher(String.valueOf(node));
            while (m.find()) {
                into.add(m.group(1));
            }
        }
        return into;
    }

    private static List<String> scalars(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                into.add(String.valueOf(k));
                scalars(v, into);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> scalars(v, into));
        } else if (node != null) {
            into.add(String.valueOf(node));
        }
        return into;
    }

    @Test
    void substitutionsHaveDefaultsAndAreAllUsed() {
        @SuppressWarnings("unchecked")
        Map<String, Object> substitutions = (Map<String, Object>) config.get("substitutions");

        assertThat(substitutions).containsEntry("_REGION", "us-central1")
                .containsEntry("_BUCKET_NAME", "panel-one-outputs")
                .containsKeys("_REPOSITORY", "_API_SERVICE", "_WORKER_SERVICE");
        assertThat(substitutions.values()).allSatisfy(v -> assertThat(String.valueOf(v)).isNotBlank());
        // Cloud Build rejects a template that references an undefined substitution or is given an unused one
        // (deploy.sh passes all five).
        assertThat(substitutionsUsedIn(config, new TreeSet<>())).isEqualTo(new TreeSet<>(substitutions.keySet()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void buildsAndPushesBothImagesBeforeDeployingThem() {
        Map<String, Object> buildApi = dockerStep("build", API_IMAGE);
        Map<String, Object> buildWorker = dockerStep("build", WORKER_IMAGE);
        assertThat(args(buildApi)).contains("--file=Dockerfile");
        assertThat(args(buildWorker)).contains("--file=Dockerfile.worker");
        assertThat(args(buildApi).get(args(buildApi).size() - 1)).isEqualTo(".");
        assertThat(args(buildWorker).get(args(buildWorker).size() - 1)).isEqualTo(".");

        Map<String, Object> pushApi = dockerStep("push", API_IMAGE);
        Map<String, Object> pushWorker = dockerStep("push", WORKER_IMAGE);
        assertThat(dependencies(pushApi)).contains(id(buildApi));
        assertThat(dependencies(pushWorker)).contains(id(buildWorker));
        assertThat(dependencies(deployStep("${_API_SERVICE}"))).contains(id(pushApi));
        assertThat(dependencies(deployStep("${_WORKER_SERVICE}"))).contains(id(pushWorker));

        assertThat((List<Object>) config.get("images")).containsExactlyInAnyOrder(API_IMAGE, WORKER_IMAGE);
    }

    @Test
    @SuppressWarnings("unchecked")
    void buildsWithBuildKitForTheDockerfilesRunMounts() {
        // The Dockerfiles' RUN --mount keeps the training jar out of the images; the classic builder rejects it.
        for (String image : List.of(API_IMAGE, WORKER_IMAGE)) {
            assertThat((List<Object>) dockerStep("build", image).getOrDefault("env", List.of()))
                    .as("env of the build of %s", image).contains("DOCKER_BUILDKIT=1");
        }
    }

    @Test
    void deploysThePublicApiInTheRegionFromThisBuildsImage() {
        Map<String, String> api = flags(deployStep("${_API_SERVICE}"));

        assertThat(api).containsEntry("--image", API_IMAGE)
                .containsEntry("--region", "${_REGION}")
                .containsKey("--allow-unauthenticated")
                .containsKey("--cpu-boost")
                .doesNotContainKey("--no-allow-unauthenticated");
        // The whole list is one substitution: deploy.sh adds PANEL_API_KEYS when secret panel-api-keys exists
        // (--set-secrets replaces every secret, so key mode would otherwise be lost at each deploy).
        assertThat(api.get("--set-secrets")).isEqualTo("${_API_SECRETS}");
        assertThat(pairs(withDefaults(api.get("--set-secrets"))))
                .containsExactly(Map.entry("REDIS_URL", "redis-url:latest"));
        assertThat(pairs(api.get("--set-env-vars")))
                .containsEntry("PROJECT_ID", "$PROJECT_ID")
                .containsEntry("BUCKET_NAME", "${_BUCKET_NAME}")
                .containsEntry("PANEL_CLIENT_JOBS_PER_HOUR", "${_CLIENT_JOBS_PER_HOUR}")
                .containsEntry("PANEL_DAILY_JOB_BUDGET", "${_DAILY_JOB_BUDGET}");
        // A WebSocket follows a job for up to its 590 s deadline; Cloud Run's default request timeout is 300 s.
        assertThat(Integer.parseInt(api.get("--timeout").replaceAll("s$", ""))).isGreaterThan(590);
    }

    @Test
    void deploysThePrivateAlwaysOnWorker() {
        Map<String, String> worker = flags(deployStep("${_WORKER_SERVICE}"));

        assertThat(worker).containsEntry("--image", WORKER_IMAGE)
                .containsEntry("--region", "${_REGION}")
                .containsKey("--no-allow-unauthenticated")
                .doesNotContainKey("--allow-unauthenticated")
                .containsKey("--no-cpu-throttling")
                .containsEntry("--min-instances", "1")
                .containsEntry("--max-instances", "5")
                .containsEntry("--memory", "2Gi")
                .containsKey("--cpu-boost");
        assertThat(pairs(worker.get("--set-secrets")))
                .containsEntry("GEMINI_API_KEY", "gemini-api-key:latest")
                .containsEntry("REDIS_URL", "redis-url:latest");
        assertThat(pairs(worker.get("--set-env-vars")))
                .containsEntry("PROJECT_ID", "$PROJECT_ID")
                .containsEntry("BUCKET_NAME", "${_BUCKET_NAME}")
                // Gemini reads the photos from the bucket (deploy.sh grants its service agent read access).
                .containsEntry("PANEL_GEMINI_PHOTOS", "${_GEMINI_PHOTOS}");
    }

    @Test
    void secretsComeFromSecretManagerAndNoCredentialsFileIsUsed() {
        List<String> values = scalars(config, new ArrayList<>());

        // The service identity reaches Cloud Storage; a key file would be a second, leakable credential.
        assertThat(values).noneMatch(v -> v.contains("GOOGLE_APPLICATION_CREDENTIALS"))
                .noneMatch(v -> v.toLowerCase().contains("credentials"))
                .noneMatch(v -> v.contains(".json"))
                .noneMatch(v -> v.startsWith("--service-account-key") || v.startsWith("--key-file"));
        for (Map<String, Object> step : steps) {
            String secrets = flags(step).get("--set-secrets");
            if (secrets != null) {
                // NAME=secret:version is an environment variable; /path=secret:version would mount a file.
                assertThat(pairs(withDefaults(secrets))).allSatisfy((name, ref) -> {
                    assertThat(name).matches("[A-Z_][A-Z0-9_]*");
                    assertThat(ref).matches("[a-z0-9-]+:latest");
                });
            }
            // Secrets as plain env vars would land in the service's configuration in clear text.
            String env = flags(step).getOrDefault("--set-env-vars", "");
            assertThat(Arrays.asList(env.split(","))).noneMatch(
                    kv -> kv.startsWith("GEMINI_API_KEY=") || kv.startsWith("REDIS_URL="));
        }
    }
}
