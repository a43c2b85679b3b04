package clients;

/**
 * A photo uploaded through Gemini's Files API, referenced by both model calls instead of being sent twice.
 *
 * @param name the resource name, {@code files/…}, used to delete it
 * @param uri what a {@code fileData} part points at
 * @param mimeType e.g. {@code image/jpeg}
 */
public record GeminiFile(String name, String uri, String mimeType) {
}
