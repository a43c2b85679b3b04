package app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

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
            case "start" -> run(rest, "api");
            case "worker" -> run(rest, "worker");
            case "local" -> {
                startLocalStandIns();
                run(rest, "api", "worker", "local");
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

    private static void run(String[] args, String... profiles) {
        SpringApplication application = new SpringApplication(PanelOneApplication.class);
        application.setAdditionalProfiles(profiles);
        application.run(args);
    }
}
