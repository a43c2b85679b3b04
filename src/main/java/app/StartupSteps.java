package app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ApplicationListener;
import org.springframework.core.metrics.StartupStep;

/**
 * A diagnostic for measuring a start (BENCHMARKS.md, "Where the image's API launch goes"): with
 * {@code -Dpanel.startup-steps=FILE} Spring records every start-up step (context refresh phases, each bean's
 * creation, with their nesting) and, once the application is ready, writes them to FILE as tab-separated lines:
 * id, parent id, name, tags, start and end in microseconds since the epoch. Without the property nothing is recorded
 * (Spring's default no-op recorder).
 */
final class StartupSteps {
    static final String PROPERTY = "panel.startup-steps";

    private StartupSteps() {}

    static void recordIfAsked(SpringApplication application) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
        application.setApplicationStartup(startup);
        application.addListeners((ApplicationListener<ApplicationReadyEvent>) event ->
                write(startup.getBufferedTimeline(), Path.of(file)));
    }

    private static void write(StartupTimeline timeline, Path file) {
        List<String> lines = new ArrayList<>();
        for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
            StartupStep step = event.getStartupStep();
            StringBuilder tags = new StringBuilder();
            step.getTags().forEach(tag -> tags.append(tags.isEmpty() ? "" : ";").append(tag.getKey()).append('=')
                    .append(tag.getValue().replace('\t', ' ').replace('\n', ' ')));
            lines.add(step.getId() + "\t" + step.getParentId() + "\t" + step.getName() + "\t" + tags + "\t"
                    + micros(event.getStartTime()) + "\t" + micros(event.getEndTime()));
        }
        try {
            // Written beside and moved into place, so whoever waits for FILE never reads half of it.
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, lines);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
