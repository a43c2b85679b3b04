package clients;

import config.MissingSettingException;
import com.google.genai.Client;
import config.PanelOneProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** The worker's one Gemini client and the gateway every model call goes through. */
@Configuration(proxyBeanMethods = false)
@Profile("worker")
public class GeminiConfiguration {
    static final java.time.Duration MODEL_CHECK_TIMEOUT = java.time.Duration.ofSeconds(20);

    @Bean(destroyMethod = "close")
    Client geminiClient(PanelOneProperties properties) {
        PanelOneProperties.Gemini gemini = properties.gemini();
        if (gemini.apiKey() == null || gemini.apiKey().isBlank()) {
            throw new MissingSettingException("GEMINI_API_KEY is not set: the worker needs a Gemini API key to "
                    + "write stories and draw panels");
        }
        String baseUrl = gemini.baseUrl() == null || gemini.baseUrl().isBlank() ? null : gemini.baseUrl();
        return GeminiClientFactory.create(gemini.apiKey(), baseUrl);
    }

    /** The models.get check behind the worker's readiness; one lookup never waits longer than this. */
    @Bean
    ModelCheck modelCheck(Client geminiClient, PanelOneProperties properties) {
        return new ModelCheck(geminiClient, MODEL_CHECK_TIMEOUT, properties.gemini().apiKey());
    }

    /** Used only when Gemini reads the photos from storage (PANEL_GEMINI_PHOTOS=register), and looked up then. */
    @Bean
    RegistrationCredentials registrationCredentials(PanelOneProperties properties) {
        return new RegistrationCredentials(properties.usesStorageEmulator(), properties.credentialsFile());
    }

    @Bean
    GeminiGateway geminiGateway(Client geminiClient, PanelOneProperties properties) {
        PanelOneProperties.Gemini gemini = properties.gemini();
        return new GeminiGateway(geminiClient, new GeminiGateway.Settings(gemini.maxAttempts(),
                gemini.initialBackoff(), gemini.maxBackoff(), gemini.callTimeout(), gemini.filesCallTimeout()));
    }
}
