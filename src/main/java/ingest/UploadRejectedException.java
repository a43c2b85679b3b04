package ingest;

/** A request Panel One refuses, with the HTTP status and the reason the caller is shown. */
public class UploadRejectedException extends RuntimeException {
    private final int status;

    public UploadRejectedException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
