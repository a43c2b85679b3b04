package deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where the deployment files live. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        // Surefire sets basedir; from an IDE the working directory is usually the root already.
        Path root = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (!Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new IllegalStateException("not the repository root: " + root);
        }
        return root;
    }

    static Path file(String name) {
        return root().resolve(name);
    }
}
