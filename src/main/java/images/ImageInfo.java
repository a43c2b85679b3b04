package images;

/** What inspecting an image found: its real format and its pixel dimensions. */
public record ImageInfo(ImageFormat format, int width, int height) {
}
