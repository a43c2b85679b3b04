package app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code .env} from the working directory (the seed's load_dotenv): each value becomes a system property
 * unless the real environment already sets it. {@code [YOUR … HERE]} placeholders from .env.example count as unset.
 */
public final class DotEnv {
    private DotEnv() {}

    public static Map<String, String> parse(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
                    continue;
                }
                if (trimmed.startsWith("export ")) {
                    trimmed = trimmed.substring("export ".length()).strip();
                }
                int eq = trimmed.indexOf('=');
                String key = trimmed.substring(0, eq).strip();
                String value = unquote(trimmed.substring(eq + 1).strip());
                if (!key.isEmpty() && !isPlaceholder(value)) {
                    values.put(key, value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        return values;
    }

    /** Loads {@code .env} into system properties where the environment is silent. */
    public static void load(Path file) {
        parse(file).forEach((key, value) -> {
            if (System.getenv(key) == null && System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    /** A setting from the environment, or else from a loaded {@code .env}. */
    public static String get(String key) {
        String value = System.getenv(key);
        return value != null ? value : System.getProperty(key);
    }

    static boolean isPlaceholder(String value) {
        return value.startsWith("[") && value.endsWith("]");
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
