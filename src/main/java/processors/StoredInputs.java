package processors;

import clients.StorageErrors;
import clients.StorageLayout;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.StorageException;
import images.Orientation;
import jobs.JobFailure;

/**
 * What the two ways of handing a job's photos to Gemini (checked in place, or downloaded) read from a stored input
 * alike: its orientation, and the reason a job fails when an input cannot be read.
 */
final class StoredInputs {

    private StoredInputs() {
    }

    /** The orientation intake recorded in the object's metadata; upright when absent or unreadable. */
    static Orientation orientation(Blob blob) {
        String value = blob.getMetadata() == null ? null : blob.getMetadata().get(StorageLayout.ORIENTATION_METADATA);
        try {
            return value == null ? Orientation.NORMAL : Orientation.fromExif(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Orientation.NORMAL;
        }
    }

    /** A stored photo's name without an image type. */
    static JobFailure untyped(String objectName, IllegalArgumentException e) {
        return new JobFailure("A stored photo has no image type (" + objectName + ")", e);
    }

    /** Storage's refusal, in the job's words: missing (404), or storage's own reason. */
    static JobFailure unreadable(String objectName, StorageException e) {
        if (e.getCode() == 404) {
            return new JobFailure("A photo of this job is missing from storage (" + objectName + ")", e);
        }
        return new JobFailure("Could not download the photos: " + StorageErrors.describe(e), e);
    }
}
