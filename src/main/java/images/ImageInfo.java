package images;

/**
 * What inspecting an image found: its real format, its stored pixel dimensions (before any orientation is
 * applied) and the orientation its metadata asks viewers to show it in.
 */
public record ImageInfo(ImageFormat format, int width, int height, Orientation orientation) {

    public ImageInfo(ImageFormat format, int width, int height) {
        this(format, width, height, Orientation.NORMAL);
    }

    public long pixels() {
        return (long) width * height;
    }
}
