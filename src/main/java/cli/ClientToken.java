package cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bearer token the client sends (docs/API.md, "Naming the client"): the API key when one is given, else this
 * user's own random token, made on the first run and kept in the user's config folder so every later run belongs to
 * the same history.
 */
final class ClientToken {
    static final String FILE_NAME = "token";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._~-]{16,128}");

    private ClientToken() {}

    /**
     * The config folder: {@code $XDG_CONFIG_HOME/panel-one} (XDG Base Directory; only an absolute path counts),
     * else {@code ~/.config/panel-one}; on macOS {@code ~/Library/Application Support/panel-one}, on Windows
     * {@code %APPDATA%\panel-one}.
     */
    static Path configFolder(Map<String, String> env, String osName, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        String appData = env.get("APPDATA");
        if (os.startsWith("windows") && appData != null && !appData.isBlank()) {
            return Path.of(appData, "panel-one");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("panel-one");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "panel-one");
        }
        return home.resolve(".config").resolve("panel-one");
    }

    /** The token kept in {@code folder}, made and saved (readable by this user only) if there is none yet. */
    static String kept(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (isWellFormed(token)) {
                return token;
            }
        }
        String token = fresh();
        createPrivateFolder(folder);
        Path partial = Files.createTempFile(folder, FILE_NAME, ".part");
        try {
            restrict(partial);
            Files.writeString(partial, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            if (Files.exists(file)) {
                // Unreadable as a token (edited by hand?): replaced, so this and later runs agree again.
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try {
                    Files.move(partial, file);
                } catch (FileAlreadyExistsException e) {
                    // Two first runs at once: the one that saved first wins, and both use its token from now on.
                    String winner = Files.readString(file, StandardCharsets.US_ASCII).strip();
                    if (isWellFormed(winner)) {
                        return winner;
                    }
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return token;
    }

    static boolean isWellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /** 24 random bytes as 32 URL-safe characters. */
    static String fresh() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void createPrivateFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Files.createDirectories(folder);
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder under %APPDATA% is the user's own already.
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // As above.
        }
    }
}
