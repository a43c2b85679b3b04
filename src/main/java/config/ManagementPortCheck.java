package config;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with MANAGEMENT_PORT equal to PORT: Spring Boot would then serve the actuator (readiness,
 * Prometheus, info) on the public port, which docs/API.md rules out.
 */
@Component
public class ManagementPortCheck {
    static final String MESSAGE = "MANAGEMENT_PORT must differ from PORT: the operational endpoints are never served "
            + "on the public port";

    public ManagementPortCheck(Environment environment, PanelOneProperties properties) {
        int server = environment.getProperty("server.port", Integer.class, 8080);
        int management = properties.managementPort();
        if (management != 0 && management == server) {
            throw new IllegalStateException(MESSAGE + " (both are " + server + ")");
        }
    }
}
