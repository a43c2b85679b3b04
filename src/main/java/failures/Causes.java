package failures;

import java.util.Optional;

/** Looks through an exception's cause chain: what went wrong is often wrapped by Camel, Spring or an SDK. */
public final class Causes {
    private Causes() {}

    /** The first exception of {@code type} in the chain starting at {@code failure}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    public static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return find(failure, type).isPresent();
    }
}
