package processors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** The two prompts, read once at start-up so a missing file stops the service instead of failing jobs. */
@Component
@Profile("worker")
public class PromptLibrary {
    private final String story = load("prompts/story_prompt.md");
    private final String image = load("prompts/imagegen_prompt.md");

    public String story() {
        return story;
    }

    public String image() {
        return image;
    }

    private static String load(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IllegalStateException("Prompt " + path + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Prompt " + path + " is missing", e);
        }
    }
}
