package deploy;

import static org.assertj.core.api.Assertions.assertThat;

import deploy.DockerfileCommand.Instruction;
import deploy.DockerfileCommand.Stage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Dockerfile (API) and Dockerfile.worker (worker): what the README's deployment and cold-start sections ask of them. */
class DockerfilesTest {

    private static final Set<String> ROOT_USERS = Set.of("root", "0", "root:root", "0:0");

    private static List<Stage> stages(String dockerfile) throws IOException {
        return DockerfileCommand.stages(Repo.file(dockerfile));
    }

    private static int indexOf(List<Instruction> instructions, Predicate<Instruction> test) {
        for (int i = 0; i < instructions.size(); i++) {
            if (test.test(instructions.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Predicate<Instruction> is(String keyword, String argumentsPart) {
        return i -> i.keyword().equals(keyword) && i.arguments().contains(argumentsPart);
    }

    @ParameterizedTest
    @CsvSource({"Dockerfile, start", "Dockerfile.worker, worker"})
    void finalCommandRunsTheJarWithTheServiceCommand(String dockerfile, String command) throws IOException {
        List<String> argv = DockerfileCommand.finalCommand(Repo.file(dockerfile));

        assertThat(argv.get(0)).isEqualTo("java");
        assertThat(argv.get(argv.size() - 1)).isEqualTo(command);
        assertThat(argv.subList(argv.size() - 3, argv.size() - 1)).containsExactly("-jar", "panel-one.jar");
        assertThat(argv).contains("-XX:AOTCache=app.aot", "-XX:+ExitOnOutOfMemoryError");
        assertThat(argv).anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="));
        // PORT belongs to Cloud Run: a port fixed here would override it.
        assertThat(argv).noneMatch(a -> a.contains("server.port") || a.contains("8080"));
        assertThat(DockerfileCommand.workdir(Repo.file(dockerfile))).isEqualTo("/app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.worker"})
    void entrypointAndCmdAreInExecForm(String dockerfile) throws IOException {
        Stage last = stages(dockerfile).get(stages(dockerfile).size() - 1);
        List<Instruction> commands = new ArrayList<>(last.all("ENTRYPOINT"));
        commands.addAll(last.all("CMD"));

        assertThat(commands).isNotEmpty();
        // Exec form makes java PID 1, so it receives Cloud Run's SIGTERM and shuts down cleanly.
        assertThat(commands).allSatisfy(i -> assertThat(i.execForm()).as("line %d", i.line()).isNotNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.worker"})
    void buildsInAMavenStageWithTheDependencyLayerFirst(String dockerfile) throws IOException {
        List<Stage> stages = stages(dockerfile);
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);

        Stage build = stages.get(0);
        assertThat(build.base()).startsWith("maven:").contains("temurin-25");
        List<Instruction> steps = build.instructions();
        int copyPom = indexOf(steps, is("COPY", "pom.xml"));
        int goOffline = indexOf(steps, is("RUN", "dependency:go-offline"));
        int copySrc = indexOf(steps, is("COPY", "src"));
        int packageJar = indexOf(steps, i -> i.keyword().equals("RUN") && i.arguments().contains("package")
                && i.arguments().contains("-DskipTests"));

        assertThat(copyPom).as("COPY pom.xml").isGreaterThanOrEqualTo(0);
        assertThat(goOffline).as("dependency:go-offline after COPY pom.xml").isGreaterThan(copyPom);
        assertThat(copySrc).as("COPY src after the dependency layer").isGreaterThan(goOffline);
        assertThat(packageJar).as("package after COPY src").isGreaterThan(copySrc);
        // The dependency layer must not depend on the sources.
        assertThat(steps.get(copyPom).arguments()).doesNotContain("src").doesNotStartWith(". ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.worker"})
    void runsOnAJre25AsANonRootUser(String dockerfile) throws IOException {
        List<Stage> stages = stages(dockerfile);
        Stage last = stages.get(stages.size() - 1);

        assertThat(last.base()).contains("25").contains("jre");
        List<Instruction> users = last.all("USER");
        assertThat(users).as("USER in the final stage").isNotEmpty();
        assertThat(users.get(users.size() - 1).arguments().strip()).isNotIn(ROOT_USERS);
        // Cloud Run ignores HEALTHCHECK; it only hides that /health is the real check.
        assertThat(last.all("HEALTHCHECK")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"Dockerfile, start", "Dockerfile.worker, worker"})
    void carriesTheServiceJarOnlyAndTrainsOnJobsWithTheFullJarMountedForThatRunAlone(String dockerfile,
            String command) throws IOException {
        List<Stage> stages = stages(dockerfile);
        Stage last = stages.get(stages.size() - 1);
        List<Instruction> steps = last.instructions();
        int extract = indexOf(steps, is("RUN", "-Djarmode=tools"));
        int training = indexOf(steps, is("RUN", "aot.AotTraining"));

        assertThat(extract).as("jar extracted in the final stage").isGreaterThanOrEqualTo(0);
        assertThat(steps.get(extract).arguments()).contains(" extract ").contains("--destination")
                .contains("source=/build/target/panel-one-service.jar,target=/tmp/panel-one.jar");
        assertThat(training).as("AOT training after the extract").isGreaterThan(extract);
        // Neither jar becomes a layer: the full one (emulators, embedded-redis's redis-server binaries) least of all.
        assertThat(last.all("COPY")).noneMatch(i -> i.arguments().contains(".jar"));
        assertThat(last.all("ADD")).isEmpty();
        String run = steps.get(training).arguments();
        // A start-up only (BENCHMARKS.md: training on jobs showed no gain in the first jobs after a start).
        assertThat(run.replaceAll("\\s+", " ")).contains("PropertiesLauncher --jobs 0 --");
        // The one-file jar: the RUN mounts a single file, and target/panel-one.jar needs its lib/ folder beside it.
        assertThat(run).contains("--mount=type=bind,from=build,source=/build/target/panel-one-standalone.jar,")
                .contains("--mount=type=tmpfs,target=/tmp");

        // The trained command is the image's own, flag for flag, with the cache written instead of read: a cache is
        // only accepted by a JVM started with compatible options, and it holds that command's classes.
        List<String> words = Arrays.asList(run.split("\\s+"));
        List<String> trained = new ArrayList<>(words.subList(words.indexOf("--") + 1, words.size()));
        List<String> image = new ArrayList<>(DockerfileCommand.finalCommand(Repo.file(dockerfile)));
        image.replaceAll(a -> a.equals("-XX:AOTCache=app.aot") ? "-XX:AOTCacheOutput=app.aot" : a);
        assertThat(trained).containsExactlyInAnyOrderElementsOf(image);
        assertThat(trained.subList(trained.size() - 3, trained.size()))
                .containsExactly("-jar", "panel-one.jar", command);
        // The training run's stand-in values must not leak into the service's environment.
        assertThat(steps).filteredOn(i -> i.keyword().equals("ENV") || i.keyword().equals("ARG"))
                .noneMatch(i -> i.arguments().matches("(?s).*(GEMINI_API_KEY|REDIS_URL|STORAGE_EMULATOR_HOST"
                        + "|GOOGLE_APPLICATION_CREDENTIALS).*"));
    }

    @Test
    void bothImagesShareTheBuildStageSoTheSecondBuildIsCached() throws IOException {
        assertThat(stages("Dockerfile.worker").get(0)).usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes(".*line")
                .isEqualTo(stages("Dockerfile").get(0));
    }

    @Test
    void theFinalCommandHelperReadsTheRealFiles() throws IOException {
        Path api = Repo.file("Dockerfile");
        assertThat(DockerfileCommand.finalCommand(api)).containsExactly("java", "-XX:AOTCache=app.aot",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=62.5",
                "-XX:+ExitOnOutOfMemoryError", "-jar", "panel-one.jar", "start");
        // C1 only in both: the API scales to zero and a new worker instance serves its first jobs while C2 would
        // still be compiling; C1 only cut both roles' CPU over the first jobs after a start, and cost the worker
        // no more than the noise after 300 jobs (BENCHMARKS.md, "JIT flags for the worker").
        assertThat(DockerfileCommand.finalCommand(Repo.file("Dockerfile.worker"))).containsExactly("java",
                "-XX:AOTCache=app.aot", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=75",
                "-XX:+ExitOnOutOfMemoryError", "-jar", "panel-one.jar", "worker");
    }
}
