package cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything the client shows: a live spinner line with colours on a terminal, and plain lines
 * without a single escape code when the output goes to a file, a pipe or a log.
 */
final class ProgressView {

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String HIDE_CURSOR = "\u001b[?25l";
    private static final String SHOW_CURSOR = "\u001b[?25h";
    private static final String CLEAR_LINE = "\r\u001b[2K";
    private static final String[] UNICODE_FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final String[] ASCII_FRAMES = {"|", "/", "-", "\\"};

    private static final Map<String, String> STAGES = Map.of(
            "QUEUED", "Waiting in the queue",
            "PROCESSING_IMAGES", "Processing images",
            "GENERATING_STORY", "Generating story",
            "GENERATING_IMAGE", "Drawing the panel",
            "UPLOADING", "Uploading the panel",
            "COMPLETED", "Done",
            "FAILED", "Failed");

    private final PrintStream out;
    private final PrintStream err;
    private final boolean live;
    private final boolean color;
    private final String[] frames;
    private final String ellipsis;
    private final String tick;
    private final String chevron;

    private ScheduledExecutorService spinner;
    private long startNanos;
    private String jobId;
    private String status;
    private int frame;
    private int drawnWidth;

    /**
     * @param live    redraw one spinner line in place (stdout is a terminal)
     * @param color   ANSI colours and cursor control are allowed
     * @param unicode the terminal can show braille spinner frames and an ellipsis
     */
    ProgressView(PrintStream out, PrintStream err, boolean live, boolean color, boolean unicode) {
        this.out = out;
        this.err = err;
        this.live = live;
        this.color = color;
        this.frames = unicode ? UNICODE_FRAMES : ASCII_FRAMES;
        this.ellipsis = unicode ? "…" : "...";
        this.tick = unicode ? "✔" : "+";
        this.chevron = unicode ? "»" : ">>";
    }

    /** Plain output for a stream that is not a terminal. */
    static ProgressView plain(PrintStream out, PrintStream err) {
        return new ProgressView(out, err, false, false, false);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Colours only on a terminal that supports them, and never when NO_COLOR is set (no-color.org). */
    static boolean useColor(boolean terminal, boolean ansiSupported, String noColor) {
        return terminal && ansiSupported && (noColor == null || noColor.isEmpty());
    }

    synchronized void title(String text) {
        out.println(style(BOLD + GREEN, chevron + " " + text));
    }

    synchronized void info(String text) {
        out.println(style(GREEN, "> ") + text);
    }

    synchronized void detail(String text) {
        clearSpinner();
        out.println(style(DIM, "  " + text));
    }

    synchronized void ok(String name, String detail) {
        out.println(style(GREEN, "  ok    ") + name + style(DIM, "  " + detail));
    }

    synchronized void skip(String name, String reason) {
        out.println(style(YELLOW, "  skip  " + name + ": " + reason));
    }

    synchronized void success(String text) {
        out.println(style(BOLD + GREEN, text));
    }

    synchronized void field(String label, String value) {
        out.println(style(DIM, String.format("%-8s", label)) + " " + style(GREEN, value));
    }

    synchronized void story(String story) {
        out.println(style(DIM, "Story"));
        for (String line : story.strip().split("\\R")) {
            out.println("  " + line);
        }
    }

    synchronized void error(String text) {
        clearSpinner();
        err.println(style(BOLD + RED, text));
    }

    /** Starts the elapsed-time clock and, on a terminal, the spinner. */
    synchronized void startWaiting(String jobId) {
        this.jobId = jobId;
        this.startNanos = System.nanoTime();
        if (live) {
            if (color) {
                out.print(HIDE_CURSOR);
            }
            spinner = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "client-spinner");
                thread.setDaemon(true);
                return thread;
            });
            spinner.scheduleAtFixedRate(this::redraw, 0, 100, TimeUnit.MILLISECONDS);
        }
    }

    /** One line per status change; on a terminal the finished stage is ticked off and the spinner moves on. */
    synchronized void status(JobUpdate update) {
        if (update.status() == null || update.status().equals(status)) {
            return;
        }
        String previous = status;
        status = update.status();
        if (live) {
            if (previous != null) {
                clearSpinner();
                out.println(style(GREEN, "  " + tick + " ") + stage(previous) + style(DIM, "  " + elapsed()));
            }
            redraw();
        } else {
            out.println("[" + elapsed() + "] " + String.format("%-18s", status) + stage(status));
        }
    }

    /** Stops the spinner and puts the cursor back. */
    synchronized void stopWaiting() {
        if (spinner != null) {
            spinner.shutdownNow();
            spinner = null;
            clearSpinner();
            if (color) {
                out.print(SHOW_CURSOR);
            }
            out.flush();
        }
    }

    /** Ctrl-C: leave the terminal as it was found and say what happened to the job. */
    synchronized void interrupted() {
        boolean waiting = jobId != null && (status == null || !isFinal(status));
        stopWaiting();
        if (color) {
            out.print(SHOW_CURSOR);
        }
        out.flush();
        err.println(style(BOLD + RED, "Interrupted."));
        if (waiting) {
            err.println(style(DIM, "  Job " + jobId + " keeps running on the server."));
        }
        err.flush();
    }

    String elapsed() {
        long seconds = startNanos == 0 ? 0 : Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
        return String.format("%02d:%02d", seconds / 60, seconds % 60);
    }

    private synchronized void redraw() {
        if (spinner == null || status == null) {
            return;
        }
        String text = frames[frame++ % frames.length] + " " + stage(status) + ellipsis + "  " + elapsed();
        if (color) {
            out.print(CLEAR_LINE + style(GREEN, text.substring(0, 1)) + text.substring(1, text.lastIndexOf("  "))
                    + style(DIM, text.substring(text.lastIndexOf("  "))));
        } else {
            // Without escape codes, overwrite the old line with spaces.
            out.print("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
        }
        drawnWidth = text.length();
        out.flush();
    }

    private void clearSpinner() {
        if (live && drawnWidth > 0) {
            out.print(color ? CLEAR_LINE : "\r" + " ".repeat(drawnWidth) + "\r");
            drawnWidth = 0;
        }
    }

    private String stage(String status) {
        return STAGES.getOrDefault(status, status);
    }

    private static boolean isFinal(String status) {
        return "COMPLETED".equals(status) || "FAILED".equals(status);
    }

    private String style(String codes, String text) {
        return color ? codes + text + RESET : text;
    }
}
