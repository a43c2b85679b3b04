package cli;

import images.ImageInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;

/** {@code client --dir DIR}: checks the photos in a folder, submits them, follows the job and saves the panel. */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        description = "Sends the photos in a folder to Panel One and saves the comic panel it draws.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the panel is saved",
            "1:the job failed, or the API refused or could not be reached",
            "2:nothing to send, too many images, or a bad option",
            "130:interrupted with Ctrl-C"
        })
public final class ClientCommand implements Callable<Integer> {

    static final int MAX_IMAGES = 10;
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder with 1 to 10 JPEG, PNG, WebP, HEIC or HEIF photos.")
    Path dir;

    @Option(names = "--api-url", paramLabel = "URL", defaultValue = "${env:API_URL:-http://localhost:8080}",
            description = "Panel One API (default: $API_URL, else http://localhost:8080).")
    URI apiUrl;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:PANEL_API_KEY}",
            description = "API key, for a Panel One that asks for one (default: $PANEL_API_KEY; the variable keeps "
                    + "the key out of the process list).")
    String apiKey;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Where this client keeps its token (default: $XDG_CONFIG_HOME/panel-one, else "
                    + "~/.config/panel-one).")
    Path configDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to save the panel (default: the --dir folder).")
    Path out;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for the panel, e.g. 90s, 10m, PT10M (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    private final ProgressView view;

    private ClientCommand(ProgressView view) {
        this.view = view;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs on the real console: colours and a spinner on a terminal, Ctrl-C restores it. Returns the exit code. */
    public static int run(String... args) {
        boolean terminal = System.console() != null;
        boolean unicode = terminal && StandardCharsets.UTF_8.equals(System.console().charset());
        boolean color = ProgressView.useColor(terminal, Ansi.AUTO.enabled(), System.getenv("NO_COLOR"));
        ProgressView view = new ProgressView(System.out, System.err, terminal, color, unicode);
        // On Ctrl-C the JVM runs this hook and then exits with 130 (128 + SIGINT).
        Thread restore = new Thread(view::interrupted, "client-interrupted");
        Runtime.getRuntime().addShutdownHook(restore);
        try {
            return execute(view, color, args);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running; it does the restoring.
            }
        }
    }

    /** Runs with plain output to the given streams, for tests and embedding. Returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return execute(ProgressView.plain(out, err), false, args);
    }

    private static int execute(ProgressView view, boolean color, String... args) {
        CommandLine commandLine = new CommandLine(new ClientCommand(view))
                .setColorScheme(CommandLine.Help.defaultColorScheme(color ? Ansi.ON : Ansi.OFF));
        // Wrapping the view's streams keeps help and usage errors in the same place as everything else.
        return commandLine.setOut(new PrintWriter(view.out(), true)).setErr(new PrintWriter(view.err(), true)).execute(args);
    }

    @Override
    public Integer call() {
        String token;
        try {
            token = token();
        } catch (IllegalArgumentException e) {
            view.error(e.getMessage());
            return EXIT_USAGE;
        }
        ApiClient api = new ApiClient(apiUrl, token);
        view.title("PANEL ONE :: client  " + api.baseUrl());
        if (!Files.isDirectory(dir)) {
            view.error("Not a folder: " + dir);
            return EXIT_USAGE;
        }
        ImageFolder.Scan scan;
        try {
            scan = ImageFolder.scan(dir);
        } catch (IOException e) {
            view.error("Cannot read the folder " + dir + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        int files = scan.images().size() + scan.skipped().size();
        view.info("Checking " + files + (files == 1 ? " file" : " files") + " in " + dir);
        for (ImageFolder.Image image : scan.images()) {
            ImageInfo info = image.info();
            view.ok(name(image.file()), info.format() + " " + info.width() + "x" + info.height() + ", " + size(image.size()));
        }
        for (ImageFolder.Skipped skipped : scan.skipped()) {
            view.skip(name(skipped.file()), skipped.reason());
        }
        if (scan.images().isEmpty()) {
            view.error("No images to send: " + dir + " has no JPEG, PNG, WebP, HEIC or HEIF photos.");
            return EXIT_USAGE;
        }
        if (scan.images().size() > MAX_IMAGES) {
            view.error("Too many images: " + dir + " has " + scan.images().size() + ", a panel takes at most "
                    + MAX_IMAGES + ". Move some out and try again.");
            return EXIT_USAGE;
        }
        try {
            return submitAndFollow(api, scan.images());
        } catch (ApiException e) {
            if (e.status() == 401) {
                view.error(hasApiKey()
                        ? "The API refused the API key (401): " + e.getMessage() + " Check --api-key or PANEL_API_KEY."
                        : "This Panel One needs an API key (401): " + e.getMessage()
                                + " Pass it with --api-key KEY or set PANEL_API_KEY.");
            } else {
                view.error("The API said no (" + e.status() + "): " + e.getMessage());
            }
        } catch (ConnectException | HttpConnectTimeoutException e) {
            view.error("Cannot reach the API at " + api.baseUrl() + ". Is it running? Set --api-url or API_URL.");
        } catch (IOException e) {
            view.error("Lost contact with the API: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            view.error("Interrupted.");
        } finally {
            view.stopWaiting();
        }
        return EXIT_FAILED;
    }

    private boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /**
     * The API key if one is given, else this user's token from the config folder (made on the first run). A folder
     * that cannot be written costs only the history: this run then uses a token of its own.
     */
    private String token() {
        if (hasApiKey()) {
            String key = apiKey.strip();
            if (!ClientToken.isWellFormed(key)) {
                throw new IllegalArgumentException(
                        "The API key must be 16 to 128 characters of A-Z a-z 0-9 . _ ~ - (check --api-key or PANEL_API_KEY).");
            }
            return key;
        }
        Path folder = configDir != null ? configDir
                : ClientToken.configFolder(System.getenv(), System.getProperty("os.name"),
                        Path.of(System.getProperty("user.home")));
        try {
            return ClientToken.kept(folder);
        } catch (IOException e) {
            view.detail("cannot keep a token in " + folder + " (" + e.getMessage() + "); this run will not show up "
                    + "in the history of later ones");
            return ClientToken.fresh();
        }
    }

    private int submitAndFollow(ApiClient api, List<ImageFolder.Image> images)
            throws IOException, InterruptedException, ApiException {
        view.info("Sending " + images.size() + (images.size() == 1 ? " image" : " images") + " to " + api.baseUrl() + "/generate");
        List<ApiClient.Upload> uploads = images.stream()
                .map(image -> new ApiClient.Upload(image.file(), image.info().format().mimeType()))
                .toList();
        JobUpdate accepted = api.submit(uploads);
        view.detail("job " + accepted.jobId());
        view.startWaiting(accepted.jobId());
        view.status(accepted);
        JobUpdate last;
        try {
            last = api.follow(accepted.jobId(), Instant.now().plus(timeout), view::status, view::detail);
        } catch (TimeoutException e) {
            view.stopWaiting();
            view.error("Gave up after waiting " + timeout.toString().substring(2).toLowerCase(Locale.ROOT) + "; job " + accepted.jobId() + " may still finish: "
                    + api.baseUrl() + "/job/" + accepted.jobId());
            return EXIT_FAILED;
        }
        view.stopWaiting();
        if (!JobUpdate.COMPLETED.equals(last.status()) || last.result() == null || last.result().imageUrl() == null) {
            String reason = last.errorMessage() == null ? "no reason given" : last.errorMessage();
            view.error("Job failed after " + view.elapsed() + ": " + reason);
            return EXIT_FAILED;
        }
        view.success("Panel ready in " + view.elapsed());
        if (last.result().story() != null) {
            view.story(last.result().story());
        }
        view.field("URL", last.result().imageUrl());
        Path target = (out == null ? dir : out).resolve("panel-" + last.jobId() + ".png");
        Files.createDirectories(target.getParent());
        view.field("Saved", api.download(last.result().imageUrl(), target).toAbsolutePath().toString());
        return EXIT_OK;
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        return bytes < 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** Reads "90", "90s", "10m", "1h" or an ISO-8601 duration such as "PT10M". */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smh]?)", Pattern.CASE_INSENSITIVE);

        @Override
        public Duration convert(String value) {
            Matcher matcher = SHORT.matcher(value.strip());
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofSeconds(amount);
                };
            }
            try {
                return Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 90s, 10m or PT10M");
            }
        }
    }
}
