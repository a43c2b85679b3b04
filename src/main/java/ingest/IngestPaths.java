package ingest;

/** Where uploads arrive: the one path whose request body is read (every other body is refused unread). */
public final class IngestPaths {
    public static final String GENERATE = "/generate";

    private IngestPaths() {}
}
