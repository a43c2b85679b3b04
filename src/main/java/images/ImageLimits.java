package images;

import java.util.Locale;

/**
 * What an inspected image may declare.
 *
 * @param maxPixels the most pixels (width × height) an image may declare. A few bytes of header can declare a
 *     picture that takes gigabytes to decode (a "decompression bomb"); refusing it at intake costs nothing,
 *     while passing it on spends a job, a Gemini call and the decoder's memory on the far side.
 */
public record ImageLimits(long maxPixels) {

    /**
     * 300 megapixels: 1.5 times the largest phone photo (200 MP sensors, 16320 × 12240, in Samsung, Xiaomi and
     * Honor phones), so every full-resolution camera photo and phone panorama passes, while 100000 × 100000 (10
     * gigapixels) and anything a 20 MiB file could plausibly hold as a bomb is refused.
     */
    public static final long DEFAULT_MAX_PIXELS = 300_000_000L;

    public static final ImageLimits DEFAULT = new ImageLimits(DEFAULT_MAX_PIXELS);

    public ImageLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
    }

    /** Refuses dimensions over the cap, before a single byte of image data is looked at. */
    void checkPixels(long width, long height) throws InvalidImageException {
        long pixels = width * height;
        if (pixels > maxPixels) {
            throw new InvalidImageException(String.format(Locale.ROOT,
                    "declares %d × %d pixels (%s), more than the limit of %s: refused as a possible decompression bomb",
                    width, height, amount(pixels), amount(maxPixels)));
        }
    }

    private static String amount(long pixels) {
        return pixels >= 10_000_000 ? String.format(Locale.ROOT, "%,d megapixels", pixels / 1_000_000)
                : String.format(Locale.ROOT, "%,d pixels", pixels);
    }
}
