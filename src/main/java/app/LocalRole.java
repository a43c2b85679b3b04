package app;

/**
 * {@code local}: API and worker in one process (profiles {@code api}, {@code worker}, {@code local}). Its own main class so that the build's Spring AOT pass (pom.xml,
 * {@code process-aot}) generates this role's context under this name.
 */
public final class LocalRole {
    private LocalRole() {}

    public static void main(String[] args) {
        PanelOneApplication.run(LocalRole.class, args, "api", "worker", "local");
    }
}
