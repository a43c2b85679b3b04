package images;

/**
 * How a photo's stored pixels must be turned to be seen upright: the eight EXIF orientations (JPEG, PNG, WebP),
 * which HEIF's {@code irot} and {@code imir} transforms also map onto.
 *
 * <p>Each value is "mirror left to right first (or not), then turn clockwise by a number of quarter turns", which is
 * how the EXIF specification describes them.
 */
public enum Orientation {
    NORMAL(1, false, 0),
    MIRRORED(2, true, 0),
    ROTATED_180(3, false, 2),
    MIRRORED_ROTATED_180(4, true, 2),
    MIRRORED_ROTATED_270(5, true, 3),
    ROTATED_90(6, false, 1),
    MIRRORED_ROTATED_90(7, true, 1),
    ROTATED_270(8, false, 3);

    private final int exifValue;
    private final boolean mirrored;
    private final int clockwiseQuarterTurns;

    Orientation(int exifValue, boolean mirrored, int clockwiseQuarterTurns) {
        this.exifValue = exifValue;
        this.mirrored = mirrored;
        this.clockwiseQuarterTurns = clockwiseQuarterTurns;
    }

    public int exifValue() {
        return exifValue;
    }

    /** The EXIF Orientation tag's value; anything outside 1 to 8 (writers do produce 0) means no transform. */
    public static Orientation fromExif(int value) {
        for (Orientation orientation : values()) {
            if (orientation.exifValue == value) {
                return orientation;
            }
        }
        return NORMAL;
    }

    /** This orientation followed by a clockwise turn of {@code quarterTurns}. */
    Orientation thenRotateClockwise(int quarterTurns) {
        return of(mirrored, clockwiseQuarterTurns + quarterTurns);
    }

    /** This orientation followed by a left-right mirror: mirroring after a turn equals mirroring before the opposite turn. */
    Orientation thenMirrorLeftRight() {
        return of(!mirrored, -clockwiseQuarterTurns);
    }

    /** This orientation followed by a top-bottom mirror, which is a left-right mirror and a half turn. */
    Orientation thenMirrorTopBottom() {
        return thenMirrorLeftRight().thenRotateClockwise(2);
    }

    private static Orientation of(boolean mirrored, int quarterTurns) {
        int turns = Math.floorMod(quarterTurns, 4);
        for (Orientation orientation : values()) {
            if (orientation.mirrored == mirrored && orientation.clockwiseQuarterTurns == turns) {
                return orientation;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * A sentence for the model about the next photo, or null when it is stored upright. Worded as what the
     * camera recorded and conditional on how the photo looks, so it stays right whether or not Gemini's decoder
     * already applied the transform.
     */
    public String promptNote() {
        if (this == NORMAL) {
            return null;
        }
        String turn = switch (clockwiseQuarterTurns) {
            case 1 -> "turned 90 degrees clockwise";
            case 2 -> "turned upside down (180 degrees)";
            case 3 -> "turned 90 degrees counter-clockwise";
            default -> null;
        };
        String how = mirrored ? (turn == null ? "mirrored left to right" : "mirrored left to right and then " + turn)
                : turn;
        return "Photo orientation: the camera stored the next photo's pixels so that it is meant to be viewed "
                + how + ". If it looks sideways, upside down or mirrored, read it as if it were shown that way.";
    }
}
