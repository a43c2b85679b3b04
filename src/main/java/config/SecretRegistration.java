package config;

import failures.SecretRedactor;
import java.net.URI;
import org.springframework.stereotype.Component;

/**
 * Tells {@link SecretRedactor} the secrets this deployment holds, so they are redacted from every log line and
 * answer even when nothing about their shape gives them away: the Gemini key, the API keys (PANEL_API_KEYS) and the
 * Redis password.
 */
@Component
public class SecretRegistration {

    public SecretRegistration(PanelOneProperties properties) {
        SecretRedactor.register(properties.gemini().apiKey());
        properties.access().apiKeys().forEach(SecretRedactor::register);
        SecretRedactor.register(redisPassword(properties.redisUrl()));
    }

    static String redisPassword(String redisUrl) {
        try {
            String userInfo = redisUrl == null ? null : URI.create(redisUrl).getRawUserInfo();
            return userInfo == null ? null : userInfo.substring(userInfo.indexOf(':') + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
