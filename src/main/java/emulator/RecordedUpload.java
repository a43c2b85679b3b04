package emulator;

/**
 * One photo uploaded through the emulator's Files API, as the client declared it.
 *
 * @param name the file's resource name, {@code files/…}
 * @param mimeType the type sent in {@code X-Goog-Upload-Header-Content-Type}, e.g. {@code image/heic}
 * @param displayName the display name from the upload's metadata, empty if none
 * @param size the bytes received
 */
public record RecordedUpload(String name, String mimeType, String displayName, long size) {
}
