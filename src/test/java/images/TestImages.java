package images;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Makes valid JPEG and PNG images in memory, of a chosen size in bytes. Noise pixels barely compress,
 * so the picture gets most of the way and a comment segment or ancillary chunk pads to the exact size.
 */
public final class TestImages {

    private static final int JPEG_PAD_SEGMENT = 4 + 65533;

    private TestImages() {
    }

    /** A valid JPEG of exactly {@code bytes} bytes (at least about 1 KiB). */
    public static byte[] jpeg(int bytes) {
        return sized("jpg", bytes);
    }

    /** A valid PNG of exactly {@code bytes} bytes (at least about 100 bytes). */
    public static byte[] png(int bytes) {
        return sized("png", bytes);
    }

    /** A noise picture of the given dimensions, encoded by ImageIO ("jpg" or "png"). */
    public static byte[] encode(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Random random = new Random(width * 31L + height);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt() & 0xFFFFFF;
        }
        return emulator.TestImages.write(image, format);
    }

    private static byte[] sized(String format, int bytes) {
        byte[] sample = encode(format, 128, 128);
        double bytesPerPixel = sample.length / (128.0 * 128.0);
        // Aim below the target so padding, not the encoder's variance, decides the final size.
        double pixels = Math.max(1, bytes * 0.9 / bytesPerPixel);
        while (true) {
            int width = (int) Math.max(1, Math.sqrt(pixels * 4 / 3));
            int height = (int) Math.max(1, pixels / width);
            byte[] image = encode(format, width, height);
            int padding = bytes - image.length;
            if (padding >= 12 || padding == 0) {
                return format.equals("jpg") ? padJpeg(image, padding) : padPng(image, padding);
            }
            if (width == 1 && height == 1) {
                throw new IllegalArgumentException(bytes + " bytes is too small for a " + format);
            }
            pixels *= 0.8;
        }
    }

    /** Inserts COM segments after SOI and the JFIF APP0 segment, which must come first. */
    private static byte[] padJpeg(byte[] image, int padding) {
        int at = 2;
        if ((image[2] & 0xFF) == 0xFF && (image[3] & 0xFF) == 0xE0) {
            at += 2 + ((image[4] & 0xFF) << 8 | image[5] & 0xFF);
        }
        ByteBuffer out = ByteBuffer.allocate(image.length + padding);
        out.put(image, 0, at);
        int left = padding;
        while (left > 0) {
            int segment = Math.min(left, JPEG_PAD_SEGMENT);
            if (left - segment > 0 && left - segment < 4) {
                segment -= 4;
            }
            out.put((byte) 0xFF).put((byte) 0xFE).putShort((short) (segment - 2));
            out.position(out.position() + segment - 4);
            left -= segment;
        }
        out.put(image, at, image.length - at);
        return out.array();
    }

    /** Inserts one private ancillary chunk ("paDd") before IEND. */
    private static byte[] padPng(byte[] image, int padding) {
        if (padding == 0) {
            return image;
        }
        int iend = image.length - 12;
        ByteBuffer out = ByteBuffer.allocate(image.length + padding);
        out.put(image, 0, iend);
        int length = padding - 12;
        int start = out.position();
        out.putInt(length).put("paDd".getBytes(StandardCharsets.US_ASCII));
        out.position(out.position() + length);
        CRC32 crc = new CRC32();
        crc.update(out.array(), start + 4, 4 + length);
        out.putInt((int) crc.getValue());
        out.put(image, iend, 12);
        return out.array();
    }
}
