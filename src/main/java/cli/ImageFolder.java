package cli;

import images.ImageInfo;
import images.ImageInspector;
import images.InvalidImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The images in a folder the client would send, and the files it skips with the reason why. */
final class ImageFolder {

    /** Panels are saved next to the photos by default; sending one back as a photo is never intended. */
    private static final Pattern EARLIER_PANEL = Pattern.compile("panel-[A-Za-z0-9_-]+\\.png");

    record Image(Path file, ImageInfo info, long size) {
    }

    record Skipped(Path file, String reason) {
    }

    record Scan(List<Image> images, List<Skipped> skipped) {
    }

    private ImageFolder() {
    }

    static Scan scan(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(Files::isRegularFile).sorted().toList();
        }
        List<Image> images = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : files) {
            if (EARLIER_PANEL.matcher(file.getFileName().toString()).matches()) {
                skipped.add(new Skipped(file, "is a panel from an earlier run"));
                continue;
            }
            try {
                images.add(new Image(file, ImageInspector.inspect(file), Files.size(file)));
            } catch (InvalidImageException e) {
                skipped.add(new Skipped(file, e.getMessage()));
            } catch (IOException e) {
                skipped.add(new Skipped(file, "cannot be read (" + e.getMessage() + ")"));
            }
        }
        return new Scan(List.copyOf(images), List.copyOf(skipped));
    }
}
