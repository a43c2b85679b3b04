package app;

/**
 * {@code worker}: the worker (profile {@code worker}). Its own main class so that the build's Spring AOT pass (pom.xml,
 * {@code process-aot}) generates this role's context under this name.
 */
public final class WorkerRole {
    private WorkerRole() {}

    public static void main(String[] args) {
        PanelOneApplication.run(WorkerRole.class, args, "worker");
    }
}
