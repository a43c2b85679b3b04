package jobs;

import java.util.UUID;
import java.util.regex.Pattern;

/** Job ids are canonical lower-case UUIDs; anything else never reaches Redis. */
public final class JobIds {
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private JobIds() {}

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static boolean isValid(String id) {
        return id != null && UUID_PATTERN.matcher(id).matches();
    }
}
