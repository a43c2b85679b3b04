package app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.util.ClassUtils;

/**
 * Panel One: one jar, five commands (README, "Commands"). {@code start}, {@code worker} and {@code local} run the Spring
 * application with the matching profiles; {@code setup} and {@code client} are plain command-line tools.
 */
@SpringBootApplication(scanBasePackages = {"app", "config", "jobs", "routes", "processors", "clients", "web",
        "worker", "ingest", "local", "metrics", "access"})
@ConfigurationPropertiesScan("config")
public class PanelOneApplication {

    static final String USAGE = "usage: java -jar panel-one.jar start|worker|local|setup|client --dir DIR";

    public static void main(String[] args) {
        String command = args.length == 0 ? "" : args[0].toLowerCase(Locale.ROOT);
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        DotEnv.load(Path.of(".env"));
        switch (command) {
            case "start" -> ApiRole.main(rest);
            case "worker" -> WorkerRole.main(rest);
            case "local" -> {
                startLocalStandIns();
                LocalRole.main(rest);
            }
            case "setup" -> System.exit(cli.SetupCommand.run(System.out, System.err, DotEnv::get));
            case "client" -> System.exit(cli.ClientCommand.run(rest));
            default -> {
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }

    /**
     * The local command's Redis, storage folder and Gemini stand-in ({@code local.LocalServices}). They are in
     * {@code target/panel-one.jar} only: the container images' jar leaves them out with embedded-redis, so they are
     * looked up by name, and nothing {@code start} or {@code worker} loads refers to them.
     */
    private static void startLocalStandIns() {
        Method startMissing;
        try {
            startMissing = Class.forName("local.LocalServices").getMethod("startMissing");
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            System.err.println("The local command is not in this jar (the container images' jar carries only start"
                    + " and worker): run java -jar target/panel-one.jar local from a build of the repository.");
            System.exit(2);
            return;
        }
        try {
            startMissing.invoke(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String AOT_ENABLED = "spring.aot.enabled";

    /**
     * Runs the application as {@code role} with its profiles. The build processes each role ahead of time (Spring AOT,
     * pom.xml), since the three differ in their beans; the generated initializer is found by the role's class name.
     * From a packaged jar that generated context is used unless {@code -Dspring.aot.enabled=false}: it skips parsing
     * configuration classes and evaluating auto-configuration conditions at every start. From a class folder (tests,
     * an IDE) the generated classes may be older than the sources, so the context is built as usual.
     */
    static void run(Class<?> role, String[] args, String... profiles) {
        if (System.getProperty(AOT_ENABLED) == null && runsFromJar()
                && ClassUtils.isPresent(role.getName() + "__ApplicationContextInitializer", role.getClassLoader())) {
            System.setProperty(AOT_ENABLED, "true");
        }
        SpringApplication application = new SpringApplication(PanelOneApplication.class);
        application.setMainApplicationClass(role);
        application.setAdditionalProfiles(profiles);
        StartupSteps.recordIfAsked(application);
        application.run(args);
    }

    private static boolean runsFromJar() {
        CodeSource source = PanelOneApplication.class.getProtectionDomain().getCodeSource();
        String location = source == null || source.getLocation() == null ? "" : source.getLocation().toString();
        return location.startsWith("jar:") || location.endsWith(".jar") || location.contains(".jar!");
    }
}
