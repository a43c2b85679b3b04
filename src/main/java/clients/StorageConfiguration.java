package clients;

import com.google.cloud.storage.Storage;
import config.PanelOneProperties;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link Storage} client, shared by the Camel google-storage endpoints and the processors. */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    Storage storage(PanelOneProperties properties) {
        return StorageFactory.create(new StorageSettings(
                properties.projectId(),
                properties.usesStorageEmulator() ? properties.storageEmulatorHost() : null,
                blankToNull(properties.credentialsFile()),
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                4,
                Duration.ofSeconds(120)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
