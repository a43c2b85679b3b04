package app;

/**
 * {@code start}: the API (profile {@code api}). Its own main class so that the build's Spring AOT pass (pom.xml,
 * {@code process-aot}) generates this role's context under this name.
 */
public final class ApiRole {
    private ApiRole() {}

    public static void main(String[] args) {
        PanelOneApplication.run(ApiRole.class, args, "api");
    }
}
