package deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .gitignore, .gcloudignore and .dockerignore keep .env, .gcp/ and key files out of git, out of the Cloud Build
 * upload and out of the image, while still letting through what the build needs.
 */
class SecretFilesTest {

    private static final List<String> SECRETS = List.of(".env", ".env.production", ".gcp/credentials.json",
            "credentials.json", "gcp-credentials.json", "my-service-account.json", ".gcp/key.json");

    @TempDir
    Path tmp;

    /** Asks git itself, so the answer follows gitignore rules exactly (.gcloudignore uses the same syntax). */
    private boolean ignoredByGitRules(Path rules, String path) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(tmp, "git");
        Files.copy(rules, work.resolve(".gitignore"));
        git(work, "init", "-q");
        return git(work, "check-ignore", "-q", "--no-index", path) == 0;
    }

    private static int git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // Only the file under test decides: no global or system excludes from the machine running the tests.
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // check-ignore: 0 ignored, 1 not ignored, anything else an error.
        assertThat(process.exitValue()).as(output).isBetween(0, 1);
        return process.exitValue();
    }

    @Test
    void gitIgnoresSecretsAndBuildOutputButNotTheExample() throws Exception {
        Path gitignore = Repo.file(".gitignore");
        for (String secret : SECRETS) {
            assertThat(ignoredByGitRules(gitignore, secret)).as(secret).isTrue();
        }
        assertThat(ignoredByGitRules(gitignore, "target/panel-one.jar")).isTrue();
        assertThat(ignoredByGitRules(gitignore, ".env.example")).as(".env.example is committed").isFalse();
    }

    @Test
    void cloudBuildUploadLeavesSecretsOutButKeepsTheBuildInputs() throws Exception {
        Path gcloudignore = Repo.file(".gcloudignore");
        for (String secret : SECRETS) {
            assertThat(ignoredByGitRules(gcloudignore, secret)).as(secret).isTrue();
        }
        for (String needed : List.of("cloudbuild.yaml", "Dockerfile", "Dockerfile.worker", ".dockerignore",
                "pom.xml", "src/main/java/app/PanelOneApplication.java")) {
            assertThat(ignoredByGitRules(gcloudignore, needed)).as(needed).isFalse();
        }
    }

    @Test
    void dockerContextHoldsOnlyThePomAndTheSources() throws IOException {
        DockerIgnore ignore = DockerIgnore.read(Repo.file(".dockerignore"));

        for (String secret : SECRETS) {
            assertThat(ignore.excludes(secret)).as(secret).isTrue();
        }
        // Also a secret dropped among the sources.
        assertThat(ignore.excludes("src/main/resources/.env")).isTrue();
        assertThat(ignore.excludes("src/main/resources/credentials.json")).isTrue();
        for (String other : List.of("target/panel-one.jar", ".git/HEAD", ".idea/workspace.xml", "deploy.sh",
                ".env.example")) {
            assertThat(ignore.excludes(other)).as(other).isTrue();
        }
        // What the Dockerfiles COPY must reach the build.
        for (String needed : List.of("pom.xml", "src/main/java/app/PanelOneApplication.java",
                "src/main/resources/application.yaml", "src/main/resources/prompts/story_prompt.md")) {
            assertThat(ignore.excludes(needed)).as(needed).isFalse();
        }
    }

    @Test
    void theMatcherFollowsDockerRules() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("*", "!src/", "**/*.json", "!src/keep.json", "/target"));
        assertThat(ignore.excludes("README.md")).isTrue();
        assertThat(ignore.excludes("src/a/B.java")).isFalse();
        assertThat(ignore.excludes("src/a/x.json")).isTrue();
        assertThat(ignore.excludes("src/keep.json")).isFalse();
        assertThat(DockerIgnore.parse(List.of("target")).excludes("target/x/y.jar")).isTrue();
        assertThat(DockerIgnore.parse(List.of("target")).excludes("src/target/y.jar")).isFalse();
        assertThat(DockerIgnore.parse(List.of("*.md")).excludes("docs/a.md")).isFalse();
    }

    /**
     * .dockerignore as docker reads it (moby patternmatcher): patterns are cleaned paths from the context root,
     * {@code *} and {@code ?} stay within one path segment, {@code **} spans any number, a pattern that matches a
     * directory covers everything under it, {@code !} re-includes, and the last matching pattern decides.
     */
    record DockerIgnore(List<Pattern> patterns, List<Boolean> negated) {

        static DockerIgnore read(Path file) throws IOException {
            return parse(Files.readAllLines(file));
        }

        static DockerIgnore parse(List<String> lines) {
            List<Pattern> patterns = new ArrayList<>();
            List<Boolean> negated = new ArrayList<>();
            for (String raw : lines) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                boolean negate = line.startsWith("!");
                String pattern = (negate ? line.substring(1) : line).strip();
                pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
                patterns.add(Pattern.compile(toRegex(pattern)));
                negated.add(negate);
            }
            return new DockerIgnore(patterns, negated);
        }

        private static String toRegex(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                        i++;
                        regex.append("(?:.*/)?");
                    } else {
                        regex.append(".*");
                    }
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else if (c == '\\' && i + 1 < glob.length()) {
                    regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }

        boolean excludes(String path) {
            boolean excluded = false;
            for (int i = 0; i < patterns.size(); i++) {
                if (matchesOrParentMatches(patterns.get(i), path)) {
                    excluded = !negated.get(i);
                }
            }
            return excluded;
        }

        private static boolean matchesOrParentMatches(Pattern pattern, String path) {
            if (pattern.matcher(path).matches()) {
                return true;
            }
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                if (pattern.matcher(path.substring(0, slash)).matches()) {
                    return true;
                }
            }
            return false;
        }
    }
}
