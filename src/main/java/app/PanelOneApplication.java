package app;

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
            case "start" -> {
                startRedisForTraining();
                run(rest, "api");
            }
            case "worker" -> {
                startRedisForTraining();
                run(rest, "worker");
            }
            case "local" -> {
                local.LocalServices.startMissing();
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
     * The image build's AOT training run has no Redis, and both services need one to finish starting: it gets the
     * {@code local} command's embedded one (only when {@code REDIS_URL} is unset), so the Redis connection is trained
     * as well.
     */
    private static void startRedisForTraining() {
        if (Boolean.getBoolean(AotTrainingRun.PROPERTY)) {
            local.LocalServices.startMissing();
        }
    }

    private static void run(String[] args, String... profiles) {
        SpringApplication application = new SpringApplication(PanelOneApplication.class);
        application.setAdditionalProfiles(profiles);
        application.run(args);
    }
}
