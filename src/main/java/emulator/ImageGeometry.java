package emulator;

import java.util.Map;

/** Output sizes Gemini 3 Pro Image documents per aspect ratio and image size (1K; 2K and 4K scale it). */
record ImageGeometry(int width, int height) {

    private static final Map<String, ImageGeometry> ONE_K = Map.of(
            "1:1", new ImageGeometry(1024, 1024),
            "2:3", new ImageGeometry(848, 1264),
            "3:2", new ImageGeometry(1264, 848),
            "3:4", new ImageGeometry(896, 1200),
            "4:3", new ImageGeometry(1200, 896),
            "4:5", new ImageGeometry(928, 1152),
            "5:4", new ImageGeometry(1152, 928),
            "9:16", new ImageGeometry(768, 1376),
            "16:9", new ImageGeometry(1376, 768),
            "21:9", new ImageGeometry(1584, 672));

    /** The size the real model would return; unknown values are the caller's 400 INVALID_ARGUMENT. */
    static ImageGeometry of(String aspectRatio, String imageSize) {
        ImageGeometry base = ONE_K.get(aspectRatio);
        if (base == null) {
            throw new IllegalArgumentException("Unsupported aspect ratio: " + aspectRatio);
        }
        int scale = switch (imageSize) {
            case "1K" -> 1;
            case "2K" -> 2;
            case "4K" -> 4;
            default -> throw new IllegalArgumentException("Unsupported image size: " + imageSize
                    + ". Supported sizes are 1K, 2K and 4K.");
        };
        return new ImageGeometry(base.width * scale, base.height * scale);
    }

    /** Same shape, no wider than maxWidth: the emulator renders small to stay fast. */
    ImageGeometry capWidth(int maxWidth) {
        if (width <= maxWidth) {
            return this;
        }
        return new ImageGeometry(maxWidth, Math.max(1, Math.round(height * (maxWidth / (float) width))));
    }
}
