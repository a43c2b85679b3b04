package clients;

import com.google.cloud.storage.Storage;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/** Readiness: the bucket can be reached. Not part of liveness, so a storage outage never restarts the service. */
@Component("storageHealthIndicator")
public class StorageHealthIndicator extends AbstractHealthIndicator {
    private final Storage storage;
    private final StorageLayout layout;

    public StorageHealthIndicator(Storage storage, StorageLayout layout) {
        super("Storage is not reachable");
        this.storage = storage;
        this.layout = layout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        // Listing needs only object permissions, which is all the service identity is given on the bucket.
        storage.list(layout.bucket(), Storage.BlobListOption.pageSize(1), Storage.BlobListOption.prefix("outputs/"));
        builder.up().withDetail("bucket", layout.bucket());
    }
}
