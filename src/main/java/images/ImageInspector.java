package images;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells whether bytes really are a JPEG, PNG, WebP, HEIC or HEIF image by checking the container structure
 * (markers, chunks, boxes, lengths, checksums) rather than decoding pixels, so it stays cheap on every upload.
 * Each format's truncation is detected the way the format defines its end; declared dimensions over the pixel cap
 * are refused before any image data is read; segment, chunk and box counts are capped.
 */
public final class ImageInspector {

    private static final int FTYP = 0x66747970;

    private ImageInspector() {
    }

    /** Inspects a file through a 64 KiB buffer; the file is never loaded into memory. */
    public static ImageInfo inspect(Path file) throws IOException, InvalidImageException {
        return inspect(file, ImageLimits.DEFAULT);
    }

    public static ImageInfo inspect(Path file, ImageLimits limits) throws IOException, InvalidImageException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return inspect(ByteSource.of(channel), limits);
        }
    }

    public static ImageInfo inspect(byte[] bytes) throws InvalidImageException {
        return inspect(bytes, ImageLimits.DEFAULT);
    }

    public static ImageInfo inspect(byte[] bytes, ImageLimits limits) throws InvalidImageException {
        try {
            return inspect(ByteSource.of(bytes), limits);
        } catch (IOException e) {
            // Reading from an array cannot fail; only the shared signature says it might.
            throw new UncheckedIOException(e);
        }
    }

    private static ImageInfo inspect(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
        if (source.size() == 0) {
            throw new InvalidImageException("is empty");
        }
        ImageFormat format = sniff(source);
        try {
            return switch (format) {
                case JPEG -> JpegStructure.inspect(source, limits);
                case PNG -> PngStructure.inspect(source, limits);
                case WEBP -> WebpStructure.inspect(source, limits);
                case HEIC, HEIF -> HeifStructure.inspect(source, limits);
            };
        } catch (EOFException e) {
            // The structure checks test bounds before reading; this is the backstop for any they miss.
            throw new InvalidImageException("is a truncated " + format.displayName());
        }
    }

    /**
     * Picks the format from the magic bytes; the file name and the declared type are not trusted. Any ISO-BMFF file
     * ({@code ftyp} first) goes to the HEIF check, which tells HEIC from HEIF, and a video from either, by its brands.
     */
    private static ImageFormat sniff(ByteSource source) throws IOException, InvalidImageException {
        long size = source.size();
        if (size >= 3 && source.u8(0) == 0xFF && source.u8(1) == 0xD8 && source.u8(2) == 0xFF) {
            return ImageFormat.JPEG;
        }
        if (size >= 8 && source.window(0, 4, ByteOrder.BIG_ENDIAN).getInt() == 0x89504E47) {
            return ImageFormat.PNG;
        }
        if (size >= 16 && source.window(0, 4, ByteOrder.BIG_ENDIAN).getInt() == 0x52494646
                && source.window(8, 4, ByteOrder.BIG_ENDIAN).getInt() == 0x57454250) {
            return ImageFormat.WEBP;
        }
        if (size >= 16 && source.window(4, 4, ByteOrder.BIG_ENDIAN).getInt() == FTYP) {
            return ImageFormat.HEIF;
        }
        throw new InvalidImageException("is not a JPEG, PNG, WebP, HEIC or HEIF image");
    }
}
