package images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import support.PhotoCorpus;
import support.PhotoCorpus.Heic;
import support.PhotoCorpus.Sample;

/** What phones and cameras save is accepted with the right type and orientation; hostile files are refused. */
class CameraVariantsTest {

    @TempDir
    Path dir;

    /** Inspects as a file (how intake and the CLI do) and as bytes, which must agree. */
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

    static List<Sample> goodVariants() {
        return PhotoCorpus.goodVariants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodVariants")
    void everyVariantIsAcceptedAsItsRealType(Sample sample) throws Exception {
        ImageInfo info = inspect(sample.bytes());
        assertThat(info.format().mimeType()).isEqualTo(sample.mimeType());
        assertThat(info.width()).isPositive();
        assertThat(info.height()).isPositive();
    }

    @Nested
    class Jpeg {

        @Test
        void motionPhotoIsTheJpegBeforeItsVideo() throws Exception {
            assertThat(inspect(PhotoCorpus.motionPhoto())).isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 48));
        }

        @Test
        void ultraHdrPrimaryImageIsReadNotItsGainMap() throws Exception {
            assertThat(inspect(PhotoCorpus.ultraHdrJpeg())).isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 48));
        }

        @Test
        void cmykJpegHasItsDimensions() throws Exception {
            assertThat(inspect(PhotoCorpus.cmykJpeg())).isEqualTo(new ImageInfo(ImageFormat.JPEG, 48, 32));
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
        void exifOrientationIsRead(int value) throws Exception {
            assertThat(inspect(PhotoCorpus.jpegWithExifAndXmp(value)).orientation().exifValue()).isEqualTo(value);
        }

        @Test
        void motionPhotoCutInsideItsImageIsTruncated() {
            byte[] photo = PhotoCorpus.motionPhoto();
            int video = PhotoCorpus.indexOf(photo, "ftypisom".getBytes()) - 4;
            assertRejected(Arrays.copyOf(photo, video - 20), "is a truncated JPEG (no end-of-image marker)");
        }

        @Test
        void segmentFloodIsRefusedAfterTheCap() {
            assertRejected(PhotoCorpus.jpegSegmentFlood(JpegStructure.MAX_SEGMENTS + 1),
                    "is a corrupt JPEG (more than 4096 segments)");
        }

        @Test
        void declaredBombIsRefusedBeforeItsDataIsRead() {
            assertRejected(PhotoCorpus.jpegBomb(), "declares 65000 × 65000 pixels (4,225 megapixels), more than the "
                    + "limit of 300 megapixels: refused as a possible decompression bomb");
        }
    }

    @Nested
    class Png {

        @Test
        void sixteenBitAndInterlacedPngsAreAccepted() throws Exception {
            assertThat(inspect(PhotoCorpus.png16Bit())).isEqualTo(new ImageInfo(ImageFormat.PNG, 40, 30));
            assertThat(inspect(PhotoCorpus.interlacedPng())).isEqualTo(new ImageInfo(ImageFormat.PNG, 40, 30));
        }

        @Test
        void bombIsRefused() {
            assertRejected(PhotoCorpus.pngBomb(), "declares 100000 × 100000 pixels (10,000 megapixels), more than the "
                    + "limit of 300 megapixels: refused as a possible decompression bomb");
        }

        @Test
        void theCapIsConfigurable() throws Exception {
            byte[] png = PhotoCorpus.png(40, 30);
            assertThat(ImageInspector.inspect(png, new ImageLimits(1200)).pixels()).isEqualTo(1200);
            assertThatThrownBy(() -> ImageInspector.inspect(png, new ImageLimits(1199)))
                    .hasMessage("declares 40 × 30 pixels (1,200 pixels), more than the limit of 1,199 pixels: refused "
                            + "as a possible decompression bomb");
        }

        @Test
        void zipAfterIendIsAPolyglotAndRefused() {
            assertRejected(PhotoCorpus.pngZipPolyglot(), "is a corrupt PNG (unexpected data after the end of the image)");
        }

        @Test
        void chunkFloodIsRefusedAfterTheCap() {
            byte[] png = PhotoCorpus.png(8, 8);
            byte[] tiny = PhotoCorpus.pngChunk("tiNy", new byte[0]);
            byte[] flood = new byte[tiny.length * PngStructure.MAX_CHUNKS];
            for (int i = 0; i < PngStructure.MAX_CHUNKS; i++) {
                System.arraycopy(tiny, 0, flood, i * tiny.length, tiny.length);
            }
            byte[] flooded = PhotoCorpus.concat(Arrays.copyOf(png, 33), flood, Arrays.copyOfRange(png, 33, png.length));
            assertRejected(flooded, "is a corrupt PNG (more than 65536 chunks)");
        }

        @Test
        void exifChunkOrientationIsRead() throws Exception {
            byte[] png = PhotoCorpus.png(8, 8);
            byte[] segment = PhotoCorpus.exifSegment(8);
            byte[] exif = PhotoCorpus.pngChunk("eXIf", Arrays.copyOfRange(segment, 4 + 6, segment.length));
            byte[] tagged = PhotoCorpus.concat(Arrays.copyOf(png, 33), exif, Arrays.copyOfRange(png, 33, png.length));
            assertThat(inspect(tagged).orientation()).isEqualTo(Orientation.ROTATED_270);
        }
    }

    @Nested
    class Webp {

        @Test
        void animatedWebpHasItsCanvasDimensions() throws Exception {
            assertThat(inspect(PhotoCorpus.animatedWebp())).isEqualTo(new ImageInfo(ImageFormat.WEBP, 64, 48));
        }

        @Test
        void bombCanvasIsRefused() {
            assertRejected(PhotoCorpus.webpBomb(), "declares 100000 × 100000 pixels (10,000 megapixels), more than the "
                    + "limit of 300 megapixels: refused as a possible decompression bomb");
        }

        @Test
        void zipAfterTheRiffEndIsRefused() {
            byte[] polyglot = PhotoCorpus.concat(PhotoCorpus.animatedWebp(), "PK\u0003\u0004zip".getBytes());
            assertRejected(polyglot, "is a corrupt WebP (the file is longer than its RIFF header says)");
        }
    }

    @Nested
    class Heif {

        @Test
        void iphoneStyleGridHeicIsAcceptedWithItsFullSize() throws Exception {
            assertThat(inspect(PhotoCorpus.heic(Heic.grid(128, 96)))).isEqualTo(new ImageInfo(ImageFormat.HEIC, 128, 96));
        }

        @Test
        void genericBrandIsHeif() throws Exception {
            assertThat(inspect(PhotoCorpus.heic(Heic.single(64, 48).brands("mif1", "mif1"))).format())
                    .isEqualTo(ImageFormat.HEIF);
        }

        @Test
        void rotationAndMirrorBecomeAnOrientation() throws Exception {
            // irot counts anti-clockwise turns: one is EXIF's "rotate 270 clockwise" (8), three is "rotate 90" (6).
            assertThat(inspect(PhotoCorpus.heic(Heic.single(64, 48).rotated(1))).orientation()).isEqualTo(Orientation.ROTATED_270);
            assertThat(inspect(PhotoCorpus.heic(Heic.single(64, 48).rotated(3))).orientation()).isEqualTo(Orientation.ROTATED_90);
            assertThat(inspect(PhotoCorpus.heic(Heic.single(64, 48).rotated(2))).orientation()).isEqualTo(Orientation.ROTATED_180);
            assertThat(inspect(PhotoCorpus.heic(Heic.single(64, 48).mirrored(0))).orientation()).isEqualTo(Orientation.MIRRORED);
            assertThat(inspect(PhotoCorpus.heic(Heic.single(64, 48).mirrored(1))).orientation())
                    .isEqualTo(Orientation.MIRRORED_ROTATED_180);
            assertThat(inspect(PhotoCorpus.heic(Heic.single(64, 48))).orientation()).isEqualTo(Orientation.NORMAL);
        }

        @Test
        void cutOffHeicIsTruncated() {
            assertRejected(PhotoCorpus.truncatedHeic(), "is a truncated HEIF (mdat box runs past the end of the file)");
        }

        @Test
        void mdatToTheEndOfTheFileCutShortFailsItsExtents() {
            byte[] heic = PhotoCorpus.heic(Heic.single(64, 48));
            int mdat = PhotoCorpus.indexOf(heic, "mdat".getBytes()) - 4;
            ByteBuffer.wrap(heic).putInt(mdat, 0);
            assertRejected(Arrays.copyOf(heic, heic.length - 10),
                    "is a truncated HEIF (the data of item 1 runs past the end of the file)");
        }

        @Test
        void bombIsRefused() {
            assertRejected(PhotoCorpus.heicBomb(), "declares 100000 × 100000 pixels (10,000 megapixels), more than the "
                    + "limit of 300 megapixels: refused as a possible decompression bomb");
        }

        @Test
        void avifIsRefusedWithTheReason() {
            assertRejected(PhotoCorpus.avif(), "is an AVIF image, which Gemini does not accept (send JPEG, PNG, WebP, "
                    + "HEIC or HEIF)");
        }

        @Test
        void mp4VideoIsNotAnImage() {
            assertRejected(PhotoCorpus.mp4(), "is not a JPEG, PNG, WebP, HEIC or HEIF image (an ISO media file of "
                    + "brand isom, iso2, mp41)");
        }

        @Test
        void zipAppendedAfterTheLastBoxIsRefused() {
            byte[] polyglot = PhotoCorpus.concat(PhotoCorpus.heic(Heic.single(64, 48)), "PK\u0003\u0004zip".getBytes());
            assertThatThrownBy(() -> inspect(polyglot)).isInstanceOf(InvalidImageException.class)
                    .hasMessageStartingWith("is a ");
        }

        @Test
        void samsungTrailerAfterTheLastBoxIsTolerated() throws Exception {
            byte[] samsung = PhotoCorpus.samsungTrailerJpeg();
            byte[] trailer = Arrays.copyOfRange(samsung, PhotoCorpus.jpeg(64, 48).length, samsung.length);
            byte[] heic = PhotoCorpus.concat(PhotoCorpus.heic(Heic.single(64, 48)), trailer);
            assertThat(inspect(heic).format()).isEqualTo(ImageFormat.HEIC);
        }

        @Test
        void withoutPrimaryItemThereIsNoImage() {
            byte[] heic = PhotoCorpus.heic(Heic.single(64, 48));
            int pitm = PhotoCorpus.indexOf(heic, "pitm".getBytes());
            System.arraycopy("free".getBytes(), 0, heic, pitm, 4);
            assertRejected(heic, "is a corrupt HEIF (no primary image (pitm))");
        }

        @Test
        void withoutIspeThereAreNoDimensions() {
            byte[] heic = PhotoCorpus.heic(Heic.single(64, 48));
            int ispe = PhotoCorpus.indexOf(heic, "ispe".getBytes());
            System.arraycopy("free".getBytes(), 0, heic, ispe, 4);
            assertRejected(heic, "has no image dimensions");
        }

        @Test
        void boxSizeSmallerThanItsHeaderIsCorrupt() {
            byte[] heic = PhotoCorpus.heic(Heic.single(64, 48));
            int meta = PhotoCorpus.indexOf(heic, "meta".getBytes()) - 4;
            ByteBuffer.wrap(heic).putInt(meta, 4);
            assertRejected(heic, "is a corrupt HEIF (invalid size of meta box at byte " + meta + ")");
        }
    }
}
