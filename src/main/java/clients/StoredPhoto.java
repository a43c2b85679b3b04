package clients;

import images.Orientation;

/**
 * One photo of a job as it sits in Cloud Storage, for Gemini to read there (files:register) rather than receive
 * from the worker.
 *
 * @param gcsUri {@code gs://bucket/object}
 * @param name the object's file name, for logs and messages
 * @param mimeType e.g. {@code image/jpeg}, from the extension intake gave the object after checking its bytes
 * @param size its length in bytes
 * @param orientation which way up intake found the photo is meant to be seen
 */
public record StoredPhoto(String gcsUri, String name, String mimeType, long size, Orientation orientation) {

    public StoredPhoto {
        orientation = orientation == null ? Orientation.NORMAL : orientation;
    }
}
