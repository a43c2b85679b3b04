package config;

import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Rejects a REDIS_URL that is not {@code redis://} or {@code rediss://} before any bean reads it, naming the
 * variable to fix. Later, Spring Boot's own check ("Invalid Redis URL '…'") and bind validation ("Value: …")
 * would print the whole URL, and with it the password the URL carries; so this message shows none of it.
 */
public class RedisUrlCheck implements EnvironmentPostProcessor {
    static final String MESSAGE = "REDIS_URL must start with redis:// or rediss:// (TLS); the value given does not"
            + " (not shown: it may contain a password)";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("panel.redis-url");
        if (url != null && !isRedisUrl(url)) {
            throw new MissingSettingException(MESSAGE);
        }
    }

    static boolean isRedisUrl(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        return (lower.startsWith("redis://") || lower.startsWith("rediss://")) && lower.indexOf("://") + 3 < lower.length();
    }
}
