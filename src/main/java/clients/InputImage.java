package clients;

import java.nio.file.Path;

/**
 * One photo of a job, downloaded to the job's temp folder and handed to Gemini from there.
 *
 * @param name the file name, for logs and messages
 * @param mimeType e.g. {@code image/jpeg}
 * @param file where the photo's bytes are
 * @param size its length in bytes
 */
public record InputImage(String name, String mimeType, Path file, long size) {
}
