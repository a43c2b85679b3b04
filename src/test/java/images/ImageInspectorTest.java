package images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInspectorTest {

    @TempDir
    Path dir;

    static byte[] resource(String name) {
        try (InputStream in = ImageInspectorTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing test image " + name, e);
        }
    }

    /** Inspects both ways, so every rule is proven for files and for byte arrays alike. */
    ImageInfo inspect(byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve("under-test"), bytes);
        ImageInfo fromFile;
        try {
            fromFile = ImageInspector.inspect(file);
        } catch (InvalidImageException fileError) {
            assertThatThrownBy(() -> ImageInspector.inspect(bytes)).hasMessage(fileError.getMessage());
            throw fileError;
        }
        assertThat(ImageInspector.inspect(bytes)).isEqualTo(fromFile);
        return fromFile;
    }

    void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> inspect(bytes)).isInstanceOf(InvalidImageException.class).hasMessage(message);
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Nested
    class AnyFile {

        @Test
        void emptyFileIsRejected() {
            assertRejected(resource("empty.jpg"), "is empty");
        }

        @Test
        void textWithImageExtensionIsNotAnImage() {
            assertRejected(resource("not-an-image.jpg"), "is not a JPEG, PNG, WebP, HEIC or HEIF image");
        }

        @Test
        void pdfRenamedToJpgIsNotAnImage() {
            assertRejected(resource("document.pdf.jpg"), "is not a JPEG, PNG, WebP, HEIC or HEIF image");
        }

        @Test
        void riffThatIsNotWebpIsNotAnImage() {
            byte[] wave = "RIFF\u0024\0\0\0WAVEfmt \u0010\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
            assertRejected(wave, "is not a JPEG, PNG, WebP, HEIC or HEIF image");
        }

        @Test
        void missingFileIsAnIoErrorNotAVerdict() {
            assertThatThrownBy(() -> ImageInspector.inspect(dir.resolve("absent.jpg"))).isInstanceOf(IOException.class);
        }

        @Test
        void inspectingOneMebibyteFilesStreamsThroughASmallBuffer() throws Exception {
            Path jpeg = Files.write(dir.resolve("big.jpg"), TestImages.jpeg(1 << 20));
            Path png = Files.write(dir.resolve("big.png"), TestImages.png(1 << 20));
            for (int i = 0; i < 3; i++) {
                ImageInspector.inspect(jpeg);
                ImageInspector.inspect(png);
            }

            // The JPEG's scan and the PNG's CRCs cover every byte; both go through one 64 KiB block, never the whole file.
            assertThat(allocatedBy(() -> ImageInspector.inspect(jpeg))).isLessThan(72 * 1024);
            assertThat(allocatedBy(() -> ImageInspector.inspect(png))).isLessThan(72 * 1024);
        }

        @Test
        void generatedTestImagesHaveExactlyTheRequestedSize() throws Exception {
            for (int size : new int[] {5_000, 300_000}) {
                assertThat(TestImages.jpeg(size)).hasSize(size);
                assertThat(inspect(TestImages.jpeg(size)).format()).isEqualTo(ImageFormat.JPEG);
                assertThat(TestImages.png(size)).hasSize(size);
                assertThat(inspect(TestImages.png(size)).format()).isEqualTo(ImageFormat.PNG);
            }
        }

        long allocatedBy(Inspection inspection) throws Exception {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            int runs = 5;
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < runs; i++) {
                inspection.run();
            }
            return (threads.getThreadAllocatedBytes(thread) - before) / runs;
        }
    }

    interface Inspection {
        void run() throws Exception;
    }

    @Nested
    class Jpeg {

        @Test
        void readsFormatAndDimensions() throws Exception {
            assertThat(inspect(resource("photo.jpg"))).isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 48));
        }

        @Test
        void acceptsProgressiveJpegWithSeveralScans() throws Exception {
            byte[] progressive = support.PhotoCorpus.progressiveJpeg();
            assertThat(inspect(progressive)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 40, 30));
        }

        @Test
        void acceptsLargeGeneratedJpeg() throws Exception {
            assertThat(inspect(TestImages.jpeg(1 << 20)).format()).isEqualTo(ImageFormat.JPEG);
        }

        @Test
        void cutOffJpegHasNoEndOfImageMarker() {
            assertRejected(resource("truncated.jpg"), "is a truncated JPEG (no end-of-image marker)");
        }

        @Test
        void trailingZeroPaddingIsAllowed() throws Exception {
            assertThat(inspect(concat(resource("photo.jpg"), new byte[64])).width()).isEqualTo(64);
        }

        @Test
        void dataAfterEndOfImageIsAllowedBecausePhonesPutVideosAndGainMapsThere() throws Exception {
            byte[] appended = concat(resource("photo.jpg"), "PK\u0003\u0004payload".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(inspect(appended)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 48));
        }

        @Test
        void scanCutOffBeforeItsEndIsTruncatedEvenWithDataAfterIt() {
            byte[] photo = resource("photo.jpg");
            byte[] cut = Arrays.copyOf(photo, photo.length - 40);
            assertRejected(cut, "is a truncated JPEG (no end-of-image marker)");
        }

        @Test
        void segmentRunningPastTheEndIsTruncated() {
            assertRejected(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 'J', 'F', 'I', 'F', 0),
                    "is a truncated JPEG (a segment runs past the end of the file)");
        }

        @Test
        void segmentLengthBelowTwoIsCorrupt() {
            assertRejected(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0, 0, 0xFF, 0xD9),
                    "is a corrupt JPEG (invalid segment length at byte 4)");
        }

        @Test
        void headersThatJustStopAreTruncated() {
            byte[] photo = resource("photo.jpg");
            assertRejected(Arrays.copyOf(photo, 20), "is a truncated JPEG (ends inside its headers)");
        }

        @Test
        void bytesWhereAMarkerShouldBeAreCorrupt() {
            assertRejected(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0x12, 0x34),
                    "is a corrupt JPEG (expected a marker at byte 8)");
        }

        @Test
        void scanWithoutFrameHeaderHasNoDimensions() {
            byte[] photo = resource("photo.jpg");
            int sof = indexOf(photo, bytes(0xFF, 0xC0));
            int length = (photo[sof + 2] & 0xFF) << 8 | photo[sof + 3] & 0xFF;
            byte[] withoutFrame = concat(Arrays.copyOf(photo, sof), Arrays.copyOfRange(photo, sof + 2 + length, photo.length));
            assertRejected(withoutFrame, "has no image dimensions");
        }

        @Test
        void zeroWidthHasNoDimensions() {
            byte[] photo = resource("photo.jpg");
            int sof = indexOf(photo, bytes(0xFF, 0xC0));
            photo[sof + 7] = 0;
            photo[sof + 8] = 0;
            assertRejected(photo, "has no image dimensions");
        }

        @Test
        void endOfImageBeforeAnyScanIsCorrupt() {
            byte[] photo = resource("photo.jpg");
            int sos = indexOf(photo, bytes(0xFF, 0xDA));
            assertRejected(concat(Arrays.copyOf(photo, sos), bytes(0xFF, 0xD9)), "is a corrupt JPEG (no image data)");
        }
    }

    @Nested
    class Png {

        @Test
        void readsFormatAndDimensions() throws Exception {
            assertThat(inspect(resource("photo.png"))).isEqualTo(new ImageInfo(ImageFormat.PNG, 64, 48));
        }

        @Test
        void acceptsLargeGeneratedPng() throws Exception {
            assertThat(inspect(TestImages.png(1 << 20)).format()).isEqualTo(ImageFormat.PNG);
        }

        @Test
        void cutOffPngIsTruncated() {
            assertRejected(resource("truncated.png"), "is a truncated PNG (IDAT chunk runs past the end of the file)");
        }

        @Test
        void pngWithoutIendIsTruncated() {
            byte[] photo = resource("photo.png");
            assertRejected(Arrays.copyOf(photo, photo.length - 12), "is a truncated PNG (no IEND chunk)");
        }

        @Test
        void flippedBitInImageDataFailsTheCrc() {
            byte[] photo = resource("photo.png");
            photo[indexOf(photo, "IDAT".getBytes(StandardCharsets.US_ASCII)) + 10] ^= 0x01;
            assertRejected(photo, "is a corrupt PNG (CRC mismatch in IDAT chunk)");
        }

        @Test
        void chunkLengthBeyondTheFileIsCaught() {
            byte[] photo = resource("photo.png");
            int idat = indexOf(photo, "IDAT".getBytes(StandardCharsets.US_ASCII));
            ByteBuffer.wrap(photo).putInt(idat - 4, 0x7FFFFFF0);
            assertRejected(photo, "is a truncated PNG (IDAT chunk runs past the end of the file)");
        }

        @Test
        void lengthAboveThePngMaximumIsCorrupt() {
            byte[] photo = resource("photo.png");
            int idat = indexOf(photo, "IDAT".getBytes(StandardCharsets.US_ASCII));
            ByteBuffer.wrap(photo).putInt(idat - 4, 0x80000000);
            assertRejected(photo, "is a corrupt PNG (invalid chunk header at byte " + (idat - 4) + ")");
        }

        @Test
        void textModeTransferDamageBreaksTheSignature() {
            byte[] photo = resource("photo.png");
            byte[] damaged = concat(Arrays.copyOf(photo, 4), Arrays.copyOfRange(photo, 5, photo.length));
            assertRejected(damaged, "is a corrupt PNG (bad signature)");
        }

        @Test
        void ihdrMustComeFirst() {
            assertRejected(pngOf(chunk("tEXt", "a\0b"), ihdr(4, 4), idat(), iend()), "is a corrupt PNG (first chunk is not IHDR)");
        }

        @Test
        void zeroWidthHasNoDimensions() {
            assertRejected(pngOf(ihdr(0, 4), idat(), iend()), "has no image dimensions");
        }

        @Test
        void zeroHeightHasNoDimensions() {
            assertRejected(pngOf(ihdr(4, 0), idat(), iend()), "has no image dimensions");
        }

        @Test
        void pngWithoutImageDataIsCorrupt() {
            assertRejected(pngOf(ihdr(4, 4), iend()), "is a corrupt PNG (no IDAT chunk)");
        }

        @Test
        void chunkAfterIendIsRejected() {
            byte[] photo = resource("photo.png");
            assertRejected(concat(photo, chunk("tEXt", "hidden\0payload")), "is a corrupt PNG (unexpected data after the end of the image)");
        }

        @Test
        void trailingZeroPaddingIsAllowed() throws Exception {
            assertThat(inspect(concat(resource("photo.png"), new byte[32])).height()).isEqualTo(48);
        }

        byte[] pngOf(byte[]... chunks) {
            return concat(PngStructure.SIGNATURE, concat(chunks));
        }

        byte[] ihdr(int width, int height) {
            return chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).array());
        }

        byte[] idat() {
            return chunk("IDAT", new byte[] {0x78, 0x01});
        }

        byte[] iend() {
            return chunk("IEND", new byte[0]);
        }

        byte[] chunk(String type, String data) {
            return chunk(type, data.getBytes(StandardCharsets.ISO_8859_1));
        }

        byte[] chunk(String type, byte[] data) {
            ByteBuffer chunk = ByteBuffer.allocate(12 + data.length).putInt(data.length)
                    .put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
            CRC32 crc = new CRC32();
            crc.update(chunk.array(), 4, 4 + data.length);
            return chunk.putInt((int) crc.getValue()).array();
        }
    }

    @Nested
    class Webp {

        @Test
        void readsLossyWebp() throws Exception {
            assertThat(inspect(resource("photo.webp"))).isEqualTo(new ImageInfo(ImageFormat.WEBP, 64, 48));
        }

        @Test
        void readsLosslessWebp() throws Exception {
            assertThat(inspect(resource("photo-lossless.webp"))).isEqualTo(new ImageInfo(ImageFormat.WEBP, 64, 48));
        }

        @Test
        void readsExtendedWebpWithAlpha() throws Exception {
            assertThat(inspect(resource("photo-extended.webp"))).isEqualTo(new ImageInfo(ImageFormat.WEBP, 64, 48));
        }

        @Test
        void fileShorterThanItsRiffSizeIsTruncated() {
            byte[] photo = resource("photo.webp");
            assertRejected(Arrays.copyOf(photo, photo.length - 100),
                    "is a truncated WebP (the file is shorter than its RIFF header says)");
        }

        @Test
        void fileLongerThanItsRiffSizeIsCorrupt() {
            assertRejected(concat(resource("photo.webp"), new byte[] {1, 2}),
                    "is a corrupt WebP (the file is longer than its RIFF header says)");
        }

        @Test
        void chunkRunningPastTheEndIsTruncated() {
            byte[] photo = resource("photo.webp");
            ByteBuffer.wrap(photo).order(ByteOrder.LITTLE_ENDIAN).putInt(16, photo.length);
            assertRejected(photo, "is a truncated WebP (VP8 chunk runs past the end of the file)");
        }

        @Test
        void firstChunkMustBeAnImageHeader() {
            byte[] photo = resource("photo.webp");
            System.arraycopy("JUNK".getBytes(StandardCharsets.US_ASCII), 0, photo, 12, 4);
            assertRejected(photo, "is a corrupt WebP (the first chunk is JUNK, not VP8, VP8L or VP8X)");
        }

        @Test
        void badVp8StartCodeIsCorrupt() {
            byte[] photo = resource("photo.webp");
            photo[20 + 3] = 0;
            assertRejected(photo, "is a corrupt WebP (bad VP8 frame header)");
        }

        @Test
        void zeroVp8WidthHasNoDimensions() {
            byte[] photo = resource("photo.webp");
            photo[20 + 6] = 0;
            photo[20 + 7] = 0;
            assertRejected(photo, "has no image dimensions");
        }

        @Test
        void badVp8lSignatureIsCorrupt() {
            byte[] photo = resource("photo-lossless.webp");
            photo[20] = 0;
            assertRejected(photo, "is a corrupt WebP (bad VP8L header)");
        }

        @Test
        void extendedWebpWithoutImageDataIsCorrupt() {
            ByteBuffer vp8x = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
            vp8x.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBPVP8X".getBytes(StandardCharsets.US_ASCII))
                    .putInt(10).put(new byte[4]).put(bytes(63, 0, 0, 47, 0, 0));
            assertRejected(vp8x.array(), "is a corrupt WebP (no image data)");
        }
    }
}
