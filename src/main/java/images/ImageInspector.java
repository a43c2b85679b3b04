package images;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells whether bytes really are a JPEG, PNG or WebP image by checking the container structure
 * (markers, chunks, lengths, checksums) rather than decoding pixels, so it stays cheap on every upload.
 */
public final class ImageInspector {

    private ImageInspector() {
    }

    /** Inspects a file by positional reads; the file is never loaded into memory. */
    public static ImageInfo inspect(Path file) throws IOException, InvalidImageException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return inspect(ByteSource.of(channel));
        }
    }

    public static ImageInfo inspect(byte[] bytes) throws InvalidImageException {
        try {
            return inspect(ByteSource.of(bytes));
        } catch (IOException e) {
            // Reading from an array cannot fail; only the shared signature says it might.
            throw new UncheckedIOException(e);
        }
    }

    private static ImageInfo inspect(ByteSource source) throws IOException, InvalidImageException {
        if (source.size() == 0) {
            throw new InvalidImageException("is empty");
        }
        ImageFormat format = sniff(source);
        try {
            return switch (format) {
                case JPEG -> JpegStructure.inspect(source);
                case PNG -> PngStructure.inspect(source);
                case WEBP -> WebpStructure.inspect(source);
            };
        } catch (EOFException e) {
            // The structure checks test bounds before reading; this is the backstop for any they miss.
            throw new InvalidImageException("is a truncated " + displayName(format));
        }
    }

    /** Picks the format from the magic bytes; the file name and the declared type are not trusted. */
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
        throw new InvalidImageException("is not a JPEG, PNG or WebP image");
    }

    private static String displayName(ImageFormat format) {
        return format == ImageFormat.WEBP ? "WebP" : format.name();
    }
}
