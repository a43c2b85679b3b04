package cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    ProgressView view(boolean live, boolean color) {
        return new ProgressView(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                live, color, true);
    }

    String all() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noColorWinsOverATerminal() {
        assertThat(ProgressView.useColor(true, true, null)).isTrue();
        assertThat(ProgressView.useColor(true, true, "")).isTrue();
        assertThat(ProgressView.useColor(true, true, "1")).isFalse();
        assertThat(ProgressView.useColor(false, true, null)).isFalse();
        assertThat(ProgressView.useColor(true, false, null)).isFalse();
    }

    @Test
    void terminalOutputIsColouredAndRestoresTheCursor() {
        ProgressView view = view(true, true);
        view.success("done");
        view.error("broken");
        view.startWaiting("job-1");
        view.status(new JobUpdate("job-1", "GENERATING_STORY", null, null));
        view.stopWaiting();

        assertThat(all()).contains("\u001b[32m", "\u001b[31m", "\u001b[?25l", "Generating story…");
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("\u001b[?25h");
    }

    @Test
    void plainOutputPrintsOneLinePerStatusChange() {
        ProgressView view = view(false, false);
        view.startWaiting("job-1");
        view.status(new JobUpdate("job-1", "QUEUED", null, null));
        view.status(new JobUpdate("job-1", "QUEUED", null, null));
        view.status(new JobUpdate("job-1", "GENERATING_STORY", null, null));
        view.stopWaiting();
        view.error("broken");

        assertThat(all()).doesNotContain("\u001b").doesNotContain("\r");
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("[00:00] QUEUED            Waiting in the queue", "[00:00] GENERATING_STORY  Generating story");
    }

    @Test
    void ctrlCRestoresTheCursorAndSaysTheJobGoesOn() {
        ProgressView view = view(true, true);
        view.startWaiting("job-7");
        view.status(new JobUpdate("job-7", "GENERATING_IMAGE", null, null));

        view.interrupted();

        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("\u001b[?25h");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Interrupted.", "Job job-7 keeps running on the server.");
    }
}
