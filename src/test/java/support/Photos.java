package support;

import emulator.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Small real photos for tests, made in memory. */
public final class Photos {
    private Photos() {}

    public static byte[] png(int width, int height, Color color) {
        return encode("png", width, height, color);
    }

    public static byte[] jpeg(int width, int height, Color color) {
        return encode("jpg", width, height, color);
    }

    private static byte[] encode(String format, int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return TestImages.write(image, format);
    }

    public static Multipart twoPhotos() {
        return new Multipart()
                .file("files", "beach.jpg", "image/jpeg", jpeg(320, 240, Color.BLUE))
                .file("files", "dog.png", "image/png", png(200, 200, Color.ORANGE));
    }
}
