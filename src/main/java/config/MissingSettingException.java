package config;

/** A setting the service cannot start without; its message names the variable to set. */
public class MissingSettingException extends RuntimeException {
    public MissingSettingException(String message) {
        super(message);
    }
}
