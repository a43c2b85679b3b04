package support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** For tests that send an upload over a raw socket: the API's temp folders, and the answer as it arrived. */
public final class UploadFolders {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    private UploadFolders() {}

    /** The upload temp folders that exist now (the API names them {@code panel-upload-…}). */
    public static Set<Path> all() throws IOException {
        try (Stream<Path> list = Files.list(TMP)) {
            return list.filter(p -> p.getFileName().toString().startsWith("panel-upload-")).collect(Collectors.toSet());
        }
    }

    /** The upload temp folders made since {@code before} was taken. */
    public static Set<Path> newSince(Set<Path> before) throws IOException {
        Set<Path> now = all();
        now.removeAll(before);
        return now;
    }

    /** Everything the server sent until it closed; a reset after the answer leaves what arrived. */
    public static String readAnswer(InputStream in) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            in.transferTo(answer);
        } catch (IOException e) {
            // A reset after the answer: what arrived is the answer.
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
