package processors;

import clients.StorageErrors;
import clients.StorageLayout;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.StorageException;
import images.Orientation;
import java.time.Duration;
import jobs.JobFailure;

/**
 * What the two ways of handing a job's photos to Gemini (checked in place, or downloaded) read from a stored input
 * alike: its orientation, and the reason a job fails when an input cannot be read, in the words of what the worker
 * was doing with it ({@link Handling}): a registered photo is only checked, never downloaded.
 */
final class StoredInputs {

    /** What the worker does with a job's stored photos, as a failed job's reason says it. */
    enum Handling {
        /** PANEL_GEMINI_PHOTOS=register: one metadata request a photo, Gemini reads the bytes itself. */
        CHECK("check the photos in storage", "Checking the photos in storage"),
        /** PANEL_GEMINI_PHOTOS=upload: the bytes come to the worker. */
        DOWNLOAD("download the photos", "Downloading the photos");

        private final String infinitive;
        private final String gerund;

        Handling(String infinitive, String gerund) {
            this.infinitive = infinitive;
            this.gerund = gerund;
        }

        /** "Could not check the photos in storage: storage was unavailable (HTTP 503); try again later". */
        JobFailure failed(String why, Throwable cause) {
            return new JobFailure("Could not " + infinitive + ": " + why, cause);
        }

        /** "Checking the photos in storage timed out after 60 s". */
        JobFailure timedOut(Duration limit) {
            return new JobFailure(gerund + " timed out after " + limit.toSeconds() + " s");
        }
    }

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
    static JobFailure unreadable(Handling handling, String objectName, StorageException e) {
        if (e.getCode() == 404) {
            return new JobFailure("A photo of this job is missing from storage (" + objectName + ")", e);
        }
        return handling.failed(StorageErrors.describe(e), e);
    }
}
