package deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile as {@code docker build} does, far enough to know what the image runs: stages, instructions,
 * and the final stage's ENTRYPOINT + CMD as the argv the container starts with.
 *
 * <p>Handles parser directives ({@code # escape=`}), comments, line continuations (also across comment and blank
 * lines), RUN/COPY heredocs, exec (JSON) and shell forms, SHELL, and stages built {@code FROM} an earlier stage,
 * which inherit its ENTRYPOINT, CMD, SHELL and WORKDIR. A stage built from an outside image starts with none of
 * them, since that image's configuration is not in the file.
 */
public final class DockerfileCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([A-Za-z]+)\\s*=\\s*(.*?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");

    private DockerfileCommand() {
    }

    /** One instruction: upper-case keyword, the rest of the logical line, and the line it started on. */
    public record Instruction(String keyword, String arguments, int line) {

        /** The arguments as an exec-form list, or null when they are in shell form. */
        public List<String> execForm() {
            return DockerfileCommand.execForm(arguments);
        }
    }

    /** A build stage: its base ({@code FROM}), optional name ({@code AS}) and instructions after the FROM. */
    public record Stage(String base, String name, List<Instruction> instructions) {

        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    /** The argv the final stage's container starts with: ENTRYPOINT followed by CMD, as docker joins them. */
    public static List<String> finalCommand(Path dockerfile) throws IOException {
        List<Stage> stages = stages(dockerfile);
        RunConfig config = runConfigs(stages).get(stages.size() - 1);
        List<String> argv = new ArrayList<>(config.entrypoint);
        argv.addAll(config.cmd);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException(dockerfile + ": the final stage sets neither ENTRYPOINT nor CMD");
        }
        return List.copyOf(argv);
    }

    /** The final stage's working directory, where the argv's relative paths point; "/" if none is set. */
    public static String workdir(Path dockerfile) throws IOException {
        List<Stage> stages = stages(dockerfile);
        return runConfigs(stages).get(stages.size() - 1).workdir;
    }

    public static List<Stage> stages(Path dockerfile) throws IOException {
        return parse(Files.readString(dockerfile));
    }

    /** Splits a Dockerfile into stages; instructions before the first FROM (global ARGs) are dropped. */
    public static List<Stage> parse(String text) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction instruction : instructions(text)) {
            if (instruction.keyword().equals("FROM")) {
                String[] words = instruction.arguments().trim().split("\\s+");
                List<String> rest = new ArrayList<>();
                for (String word : words) {
                    if (!word.startsWith("--")) {
                        rest.add(word);
                    }
                }
                String name = rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS") ? rest.get(2) : null;
                current = new ArrayList<>();
                stages.add(new Stage(rest.get(0), name, current));
            } else if (current != null) {
                current.add(instruction);
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("no FROM instruction");
        }
        return stages.stream().map(s -> new Stage(s.base(), s.name(), List.copyOf(s.instructions()))).toList();
    }

    /** The logical instructions of a Dockerfile, continuations joined, comments and heredoc bodies removed. */
    public static List<Instruction> instructions(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        int i = 0;
        // Parser directives: only at the very top, before any blank line, comment or instruction.
        while (i < lines.length) {
            Matcher directive = DIRECTIVE.matcher(lines[i]);
            if (!directive.matches()) {
                break;
            }
            if (directive.group(1).equalsIgnoreCase("escape") && directive.group(2).length() == 1) {
                escape = directive.group(2).charAt(0);
            }
            i++;
        }
        Pattern continuation = Pattern.compile(Pattern.quote(String.valueOf(escape)) + "[ \\t]*$");

        List<Instruction> result = new ArrayList<>();
        while (i < lines.length) {
            String line = lines[i];
            int start = i + 1;
            i++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            Matcher more = continuation.matcher(line);
            while (more.find()) {
                logical.append(line, 0, more.start());
                // Comment and blank lines inside a continued instruction are dropped, not joined.
                while (i < lines.length && (lines[i].isBlank() || lines[i].stripLeading().startsWith("#"))) {
                    i++;
                }
                if (i >= lines.length) {
                    line = "";
                    break;
                }
                line = lines[i++];
                more = continuation.matcher(line);
            }
            logical.append(line);

            String joined = logical.toString().strip();
            int space = indexOfWhitespace(joined);
            String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : joined.substring(space).strip();
            if (keyword.equals("RUN") || keyword.equals("COPY") || keyword.equals("ADD")) {
                Matcher heredoc = HEREDOC.matcher(arguments);
                while (heredoc.find()) {
                    boolean stripTabs = !heredoc.group(1).isEmpty();
                    String word = heredoc.group(3);
                    while (i < lines.length) {
                        String body = lines[i++];
                        if ((stripTabs ? body.replaceFirst("^\\t+", "") : body).equals(word)) {
                            break;
                        }
                    }
                }
            }
            result.add(new Instruction(keyword, arguments, start));
        }
        return result;
    }

    /** Docker's rule: a JSON array of strings is exec form; anything else is shell form (null here). */
    public static List<String> execForm(String arguments) {
        String trimmed = arguments.strip();
        if (!trimmed.startsWith("[")) {
            return null;
        }
        try {
            List<Object> values = JSON.readValue(trimmed, new TypeReference<List<Object>>() {
            });
            List<String> strings = new ArrayList<>();
            for (Object value : values) {
                if (!(value instanceof String s)) {
                    return null;
                }
                strings.add(s);
            }
            return List.copyOf(strings);
        } catch (IOException e) {
            return null;
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.isWhitespace(s.charAt(k))) {
                return k;
            }
        }
        return -1;
    }

    /** Per stage, the image configuration as docker build leaves it. */
    private static List<RunConfig> runConfigs(List<Stage> stages) {
        List<RunConfig> configs = new ArrayList<>();
        Map<String, Integer> byName = new HashMap<>();
        for (int index = 0; index < stages.size(); index++) {
            Stage stage = stages.get(index);
            Integer parent = byName.get(stage.base().toLowerCase(Locale.ROOT));
            if (parent == null && stage.base().matches("\\d+") && Integer.parseInt(stage.base()) < index) {
                parent = Integer.parseInt(stage.base());
            }
            RunConfig config = parent == null ? new RunConfig() : configs.get(parent).inherited();
            for (Instruction instruction : stage.instructions()) {
                config.apply(instruction);
            }
            configs.add(config);
            if (stage.name() != null) {
                byName.put(stage.name().toLowerCase(Locale.ROOT), index);
            }
        }
        return configs;
    }

    private static final class RunConfig {
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<String> shell = DEFAULT_SHELL;
        String workdir = "/";
        boolean cmdSetInStage;

        RunConfig inherited() {
            RunConfig child = new RunConfig();
            child.entrypoint = entrypoint;
            child.cmd = cmd;
            child.shell = shell;
            child.workdir = workdir;
            return child;
        }

        void apply(Instruction instruction) {
            switch (instruction.keyword()) {
                case "ENTRYPOINT" -> {
                    entrypoint = commandOf(instruction);
                    // docker build drops a CMD inherited from the base when ENTRYPOINT is set.
                    if (!cmdSetInStage) {
                        cmd = List.of();
                    }
                }
                case "CMD" -> {
                    cmd = commandOf(instruction);
                    cmdSetInStage = true;
                }
                case "SHELL" -> {
                    List<String> exec = instruction.execForm();
                    if (exec == null || exec.isEmpty()) {
                        throw new IllegalArgumentException("line " + instruction.line() + ": SHELL needs a JSON array");
                    }
                    shell = exec;
                }
                case "WORKDIR" -> {
                    String dir = instruction.arguments().strip();
                    workdir = dir.startsWith("/") ? dir : (workdir.endsWith("/") ? workdir : workdir + "/") + dir;
                }
                default -> {
                }
            }
        }

        private List<String> commandOf(Instruction instruction) {
            List<String> exec = instruction.execForm();
            if (exec != null) {
                return exec;
            }
            List<String> argv = new ArrayList<>(shell);
            argv.add(instruction.arguments());
            return List.copyOf(argv);
        }
    }
}
