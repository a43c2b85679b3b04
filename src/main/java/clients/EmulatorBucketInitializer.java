package clients;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import config.PanelOneProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * With a storage emulator (local mode, tests, a fake-gcs-server) the bucket is created when missing, before the
 * web server opens its port: a request arriving the moment {@code /health} answers must find it. Real Cloud Storage
 * buckets are only ever created by the setup command.
 */
@Component
public class EmulatorBucketInitializer implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(EmulatorBucketInitializer.class);

    private final Storage storage;
    private final PanelOneProperties properties;

    public EmulatorBucketInitializer(Storage storage, PanelOneProperties properties) {
        this.storage = storage;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        createBucketOnEmulator();
    }

    void createBucketOnEmulator() {
        if (!properties.usesStorageEmulator()) {
            return;
        }
        try {
            if (storage.get(properties.bucket()) == null) {
                storage.create(BucketInfo.of(properties.bucket()));
                log.info("Created bucket {} on the storage emulator at {}", properties.bucket(),
                        properties.storageEmulatorHost());
            }
        } catch (RuntimeException e) {
            // Another instance may have created it a moment ago, or the emulator is not up yet: readiness tells.
            log.warn("Could not check or create bucket {} on the storage emulator: {}", properties.bucket(),
                    e.getMessage());
        }
    }
}
