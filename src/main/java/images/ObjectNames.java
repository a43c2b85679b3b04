package images;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a client's file name into a storage object name segment that is safe in a path, a URL and a shell. */
public final class ObjectNames {

    static final int MAX_LENGTH = 80;

    private static final String FALLBACK = "image";
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern UNSAFE_RUNS = Pattern.compile("[^A-Za-z0-9._-]+");
    private static final Pattern DASH_RUNS = Pattern.compile("-{2,}");
    private static final Pattern LEADING = Pattern.compile("^[.-]+");
    private static final Pattern TRAILING = Pattern.compile("[.-]+$");
    /** Extensions replaced by the real one, so "photo.jpeg" sent as a PNG becomes "photo.png", not "photo.jpeg.png". */
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "jpe", "jfif", "pjpeg", "png", "webp", "heic", "heif", "hif");

    private ObjectNames() {
    }

    /**
     * A name of at most 80 characters from [A-Za-z0-9._-], never empty, not starting with a dot,
     * ending in the extension of the format the bytes really are.
     */
    public static String safe(String originalFilename, ImageFormat format) {
        String suffix = "." + format.extension();
        String stem = stem(originalFilename == null ? "" : originalFilename);
        stem = stem.substring(0, Math.min(stem.length(), MAX_LENGTH - suffix.length()));
        stem = TRAILING.matcher(stem).replaceFirst("");
        return (stem.isEmpty() ? FALLBACK : stem) + suffix;
    }

    private static String stem(String name) {
        // Browsers send a bare name, but old ones and scripts send a path with either separator.
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        if (dot >= 0 && IMAGE_EXTENSIONS.contains(base.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            base = base.substring(0, dot);
        }
        // Accented letters keep their base letter ("café" -> "cafe") instead of becoming dashes.
        String ascii = COMBINING_MARKS.matcher(Normalizer.normalize(base, Normalizer.Form.NFKD)).replaceAll("");
        String safe = UNSAFE_RUNS.matcher(ascii).replaceAll("-");
        safe = DASH_RUNS.matcher(safe).replaceAll("-");
        safe = LEADING.matcher(safe).replaceFirst("");
        return TRAILING.matcher(safe).replaceFirst("");
    }
}
