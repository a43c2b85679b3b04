package config;

import clients.MissingSettingException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks REDIS_URL before any bean exists: Spring's own Redis set-up would otherwise fail first with a message
 * that does not name the variable to fix.
 */
public class RedisUrlCheck implements EnvironmentPostProcessor {
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("panel.redis-url");
        if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new MissingSettingException("REDIS_URL must start with redis:// or rediss:// (TLS); got a URL "
                    + "starting with '" + url.substring(0, Math.min(url.length(), url.indexOf(':') + 1)) + "'");
        }
    }
}
