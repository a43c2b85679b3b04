package deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.TestRedis;

/**
 * The README's jar, {@code target/panel-one.jar}: a plain jar whose manifest puts the dependencies copied to
 * {@code target/lib/} on the class path, so {@code java -jar} loads from ordinary jars rather than through Spring Boot's
 * nested-jar loader (about half of a launch). Checks the manifest, then runs the README's {@code local} command from
 * another working directory, as a user would, to its first {@code GET /health} 200.
 */
class ReadmeJarIT {
    private static final Path JAR = Path.of("target/panel-one.jar").toAbsolutePath();

    @Test
    void manifestStartsTheApplicationOnAClassPathOfTheJarsInLib() throws IOException {
        assertThat(JAR).as("built by mvn package before this test").exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Manifest manifest = jar.getManifest();
            Attributes main = manifest.getMainAttributes();
            assertThat(main.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("app.PanelOneApplication");
            assertThat(jar.getEntry("BOOT-INF/")).as("not a Spring Boot jar of nested jars").isNull();
            String classPath = main.getValue(Attributes.Name.CLASS_PATH);
            assertThat(classPath).as("Class-Path in the manifest").isNotBlank();
            List<String> entries = Arrays.asList(classPath.trim().split("\\s+"));
            assertThat(entries).hasSizeGreaterThan(100).allMatch(entry -> entry.startsWith("lib/"))
                    .anyMatch(entry -> entry.startsWith("lib/spring-boot-3"))
                    .anyMatch(entry -> entry.startsWith("lib/camel-core-engine-"))
                    .anyMatch(entry -> entry.startsWith("lib/embedded-redis-"));
            // Relative to the jar's folder, wherever the command is run from.
            assertThat(entries).allSatisfy(entry -> assertThat(JAR.resolveSibling(entry)).isRegularFile());
        }
    }

    @Test
    void localCommandAnswersHealthWhenRunFromAnotherFolder(@TempDir Path elsewhere) throws Exception {
        int port = TestRedis.freePort();
        int managementPort;
        do {
            managementPort = TestRedis.freePort();
        } while (managementPort == port);
        Path log = elsewhere.resolve("local.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "local").directory(elsewhere.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Nothing provided: local starts its own Redis, storage folder and Gemini stand-in, as on a fresh machine.
        List.of("REDIS_URL", "STORAGE_EMULATOR_HOST", "GOOGLE_APPLICATION_CREDENTIALS", "GEMINI_API_KEY",
                "GEMINI_BASE_URL").forEach(builder.environment()::remove);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        Process local = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        assertThat(local.isAlive()).as(() -> readQuietly(log)).isTrue();
                        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
            // The context generated at build time is found from this jar too (PanelOneApplication.runsFromJar).
            assertThat(Files.readString(log)).contains("Starting AOT-processed LocalRole");
        } finally {
            List<ProcessHandle> children = local.descendants().toList();
            local.destroy();
            if (!local.waitFor(30, TimeUnit.SECONDS)) {
                local.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
