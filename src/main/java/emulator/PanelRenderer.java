package emulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Draws the emulator's stand-in panel: the input photos as comic frames over a caption strip. */
final class PanelRenderer {

    private static final Color PAPER = new Color(0xFFF6E0);
    private static final Color INK = new Color(0x161616);
    private static final Color CAPTION = new Color(0xFFE45C);

    private PanelRenderer() {
    }

    /** Renders a PNG of exactly width x height from the photos (undecodable ones become coloured tiles). */
    static byte[] render(List<byte[]> photos, String caption, int width, int height) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(PAPER);
            g.fillRect(0, 0, width, height);
            int gutter = Math.max(4, width / 100);
            int captionHeight = Math.max(24, height / 6);
            drawFrames(g, photos, gutter, gutter, width - 2 * gutter, height - captionHeight - 3 * gutter, gutter);
            drawCaption(g, caption, gutter, height - captionHeight - gutter, width - 2 * gutter, captionHeight);
        } finally {
            g.dispose();
        }
        return png(canvas);
    }

    /** A tiny grey sketch, the kind of interim thought image the real model streams before the final one. */
    static byte[] thoughtSketch() {
        BufferedImage sketch = new BufferedImage(64, 36, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sketch.createGraphics();
        try {
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(0, 0, 64, 36);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(2, 2, 59, 31);
        } finally {
            g.dispose();
        }
        return png(sketch);
    }

    private static void drawFrames(Graphics2D g, List<byte[]> photos, int x, int y, int w, int h, int gutter) {
        int count = Math.max(1, photos.size());
        int cols = (int) Math.ceil(Math.sqrt(count * (double) w / h));
        cols = Math.min(cols, count);
        int rows = (int) Math.ceil(count / (double) cols);
        int cellW = (w - (cols - 1) * gutter) / cols;
        int cellH = (h - (rows - 1) * gutter) / rows;
        g.setStroke(new BasicStroke(Math.max(2f, gutter / 2f)));
        for (int i = 0; i < count; i++) {
            int cx = x + (i % cols) * (cellW + gutter);
            int cy = y + (i / cols) * (cellH + gutter);
            BufferedImage photo = i < photos.size() ? decode(photos.get(i), cellW, cellH) : null;
            if (photo == null) {
                g.setColor(Color.getHSBColor((i * 0.17f) % 1f, 0.45f, 0.9f));
                g.fillRect(cx, cy, cellW, cellH);
            } else {
                drawCover(g, photo, cx, cy, cellW, cellH);
            }
            g.setColor(INK);
            g.drawRect(cx, cy, cellW, cellH);
        }
    }

    /** Scales to cover the cell and crops the overflow, as a comic frame crops a photo. */
    private static void drawCover(Graphics2D g, BufferedImage photo, int x, int y, int w, int h) {
        double scale = Math.max(w / (double) photo.getWidth(), h / (double) photo.getHeight());
        int sw = (int) Math.min(photo.getWidth(), Math.ceil(w / scale));
        int sh = (int) Math.min(photo.getHeight(), Math.ceil(h / scale));
        int sx = (photo.getWidth() - sw) / 2;
        int sy = (photo.getHeight() - sh) / 2;
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, x, y, x + w, y + h, sx, sy, sx + sw, sy + sh, null);
    }

    private static void drawCaption(Graphics2D g, String caption, int x, int y, int w, int h) {
        g.setColor(CAPTION);
        g.fillRect(x, y, w, h);
        g.setColor(INK);
        g.drawRect(x, y, w, h);
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, h / 3)));
            FontMetrics metrics = g.getFontMetrics();
            int pad = h / 4;
            String line = fit(caption.isBlank() ? "…" : caption, metrics, w - 2 * pad);
            g.drawString(line, x + pad, y + (h + metrics.getAscent() - metrics.getDescent()) / 2);
        } catch (InternalError | UnsatisfiedLinkError | NullPointerException e) {
            // A runtime without fonts (a bare JRE image, where the images' AOT training runs this emulator): the
            // panel keeps its photos and a blank caption strip rather than failing the job.
        }
    }

    private static String fit(String text, FontMetrics metrics, int maxWidth) {
        if (metrics.stringWidth(text) <= maxWidth) {
            return text;
        }
        String head = text;
        while (!head.isEmpty() && metrics.stringWidth(head + "…") > maxWidth) {
            head = head.substring(0, head.length() - 1);
        }
        return head.stripTrailing() + "…";
    }

    /** Decodes with subsampling so a 20 MP photo costs no more than its frame needs; null if undecodable. */
    private static BufferedImage decode(byte[] bytes, int targetW, int targetH) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int step = Math.max(1, Math.min(reader.getWidth(0) / Math.max(1, targetW),
                        reader.getHeight(0) / Math.max(1, targetH)));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
