package clients;

import images.Orientation;
import java.nio.file.Path;

/**
 * One photo of a job, downloaded to the job's temp folder and handed to Gemini from there.
 *
 * @param name the file name, for logs and messages
 * @param mimeType e.g. {@code image/jpeg}
 * @param file where the photo's bytes are
 * @param size its length in bytes
 * @param orientation which way up intake found the photo is meant to be seen
 */
public record InputImage(String name, String mimeType, Path file, long size, Orientation orientation) {

    public InputImage {
        orientation = orientation == null ? Orientation.NORMAL : orientation;
    }

    public InputImage(String name, String mimeType, Path file, long size) {
        this(name, mimeType, file, size, Orientation.NORMAL);
    }
}
