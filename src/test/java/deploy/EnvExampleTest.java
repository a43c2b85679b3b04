package deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** .env.example: every setting with a dummy value, so `cp .env.example .env` is the first step. */
class EnvExampleTest {

    private static Map<String, String> entries() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Repo.file(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                entries.put(kv[0].strip(), kv.length > 1 ? kv[1] : "");
            }
        }
        return entries;
    }

    @Test
    void holdsTheDummyValuesOfTheSpec() throws IOException {
        assertThat(entries())
                .containsEntry("GEMINI_API_KEY", "[YOUR KEY HERE]")
                .containsEntry("GOOGLE_APPLICATION_CREDENTIALS", ".gcp/credentials.json")
                .containsEntry("PROJECT_ID", "[YOUR PROJECT HERE]")
                .containsEntry("BUCKET_NAME", "panel-one-outputs")
                .containsEntry("REDIS_URL", "redis://localhost:6379")
                .containsEntry("API_URL", "http://localhost:8080");
    }

    @Test
    void documentsWhatDeployShReads() throws IOException {
        String deploy = Files.readString(Repo.file("deploy.sh"));
        for (String name : new String[] {"REGION", "ARTIFACT_REPOSITORY", "API_SERVICE", "WORKER_SERVICE"}) {
            assertThat(deploy).as("deploy.sh reads %s", name).contains("${" + name + ":-");
            assertThat(entries()).as(".env.example has %s", name).containsKey(name);
        }
    }
}
