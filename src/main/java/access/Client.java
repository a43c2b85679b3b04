package access;

/**
 * The caller of a request. {@code owner} is a one-way hash of its bearer token (null without one): jobs and
 * histories are filed under it, so no token or key is ever stored. {@code limitKey} is what the hourly limit counts
 * by: the owner, or the client's address when there is no token.
 */
public record Client(String owner, String limitKey) {

    public boolean hasToken() {
        return owner != null;
    }

    @Override
    public String toString() {
        // Safe for logs: the hash is not the token, and the address stays out of log lines.
        return owner == null ? "anonymous client" : "client " + owner.substring(0, 12);
    }
}
