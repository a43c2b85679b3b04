package clients;

import com.google.cloud.storage.StorageException;

/**
 * What a Cloud Storage error means, in words a user can read. Storage's own text names the service account's
 * e-mail and the project number ("… does not have storage.objects.create access to …"), so it is only logged.
 */
public final class StorageErrors {

    private StorageErrors() {
    }

    public static String describe(StorageException error) {
        int code = error.getCode();
        String status = code > 0 ? " (HTTP " + code + ")" : "";
        if (code == 401 || code == 403) {
            return "storage refused this service's access" + status
                    + "; the service's operator has to fix the bucket's permissions";
        }
        if (code == 404) {
            return "the object or bucket was not found" + status;
        }
        if (code == 0 || code == 408 || code == 429 || code >= 500) {
            return "storage was unavailable" + status + "; try again later";
        }
        return "storage refused the request" + status;
    }
}
