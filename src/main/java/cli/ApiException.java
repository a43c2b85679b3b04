package cli;

/** The API answered with an error status; {@code detail} is its human-readable reason. */
final class ApiException extends Exception {

    private final int status;

    ApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    int status() {
        return status;
    }

    boolean isServerError() {
        return status >= 500;
    }
}
