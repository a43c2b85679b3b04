package images;

/**
 * Thrown when bytes are not a well-formed JPEG, PNG, WebP, HEIC or HEIF image, or declare too many pixels. The message is a predicate
 * ("is empty", "is a truncated PNG (no IEND chunk)") so callers can put the file name in front.
 */
public class InvalidImageException extends Exception {

    public InvalidImageException(String reason) {
        super(reason);
    }
}
