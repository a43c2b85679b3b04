package support;

import emulator.TestImages;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageWriteParam;

/**
 * What phones and cameras really save, and what attackers send instead, built in memory with the structure each
 * format defines: the good variants Panel One must accept and the hostile files it must refuse cheaply.
 *
 * <p>Pixels come from ImageIO through {@link TestImages} (the one place test images are encoded); what ImageIO
 * cannot write is assembled byte by byte here: EXIF and XMP segments, a motion photo's XMP and appended MP4, an
 * Ultra HDR gain map behind an MPF index, a Samsung trailer, animated WebP, and HEIC/HEIF files as ISO-BMFF boxes
 * ({@code ftyp meta[hdlr pitm iloc iinf iprp[ipco ipma]] mdat}). The HEVC payload in those is not a real bitstream:
 * nothing in Panel One or its emulators decodes HEVC (the Gemini emulator draws a placeholder frame for a photo it
 * cannot decode), so the container structure is what is under test. The MP4 in the motion photo is likewise a real
 * box structure ({@code ftyp moov[mvhd] mdat}) around placeholder samples.
 */
public final class PhotoCorpus {

    /** One file of the corpus: a name as a phone would give it, its bytes and the MIME type it must reach Gemini as. */
    public record Sample(String name, byte[] bytes, String mimeType) {
        @Override
        public String toString() {
            return name;
        }
    }

    private PhotoCorpus() {
    }

    /** Every variant docs/API.md lists as accepted (POST /generate), each as a phone or camera writes it. */
    public static List<Sample> goodVariants() {
        return List.of(
                new Sample("exif-xmp.jpg", jpegWithExifAndXmp(6), "image/jpeg"),
                new Sample("progressive.jpg", progressiveJpeg(), "image/jpeg"),
                new Sample("cmyk.jpg", cmykJpeg(), "image/jpeg"),
                new Sample("PXL_motion.MP.jpg", motionPhoto(), "image/jpeg"),
                new Sample("ultra-hdr.jpg", ultraHdrJpeg(), "image/jpeg"),
                new Sample("samsung.jpg", samsungTrailerJpeg(), "image/jpeg"),
                new Sample("deep.png", png16Bit(), "image/png"),
                new Sample("interlaced.png", interlacedPng(), "image/png"),
                new Sample("lossy.webp", resource("photo.webp"), "image/webp"),
                new Sample("lossless.webp", resource("photo-lossless.webp"), "image/webp"),
                new Sample("animated.webp", animatedWebp(), "image/webp"),
                new Sample("IMG_0001.HEIC", heic(Heic.single(64, 48).rotated(1)), "image/heic"),
                new Sample("IMG_0002.HEIC", heic(Heic.grid(128, 96)), "image/heic"),
                new Sample("generic.heif", heic(Heic.single(64, 48).brands("mif1", "mif1", "miaf")), "image/heif"));
    }

    // --- JPEG -----------------------------------------------------------------------------------------------------

    /** A baseline JPEG from ImageIO: SOI, JFIF, tables, frame, one scan, EOI. */
    public static byte[] jpeg(int width, int height) {
        return TestImages.write(gradient(width, height), "jpg");
    }

    /** A camera JPEG: an EXIF APP1 with this Orientation, then an XMP APP1, as phones write them. */
    public static byte[] jpegWithExifAndXmp(int orientation) {
        byte[] xmp = xmpSegment("<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""
                + " xmp:CreatorTool=\"Panel One test camera\"/>");
        return insertAfterSoi(jpeg(64, 48), concat(exifSegment(orientation), xmp));
    }

    public static byte[] progressiveJpeg() {
        return TestImages.write(gradient(40, 30), "jpg", param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
    }

    /** Four components (CMYK, Adobe APP14), as print workflows and some scanners save. */
    public static byte[] cmykJpeg() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 48, 32, 4, null);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                raster.setPixel(x, y, new int[] {x * 5, y * 7, 40, 10});
            }
        }
        return TestImages.write(raster, "jpg", param -> { });
    }

    /**
     * A Pixel-style motion photo (Google's Motion Photo format 1.0): XMP with {@code GCamera:MotionPhoto} and a
     * {@code Container:Directory} whose second item is the MP4 appended after the JPEG's end-of-image marker.
     */
    public static byte[] motionPhoto() {
        byte[] video = mp4();
        byte[] xmp = xmpSegment("<rdf:Description rdf:about=\"\""
                + " xmlns:GCamera=\"http://ns.google.com/photos/1.0/camera/\""
                + " xmlns:Container=\"http://ns.google.com/photos/1.0/container/\""
                + " xmlns:Item=\"http://ns.google.com/photos/1.0/container/item/\""
                + " GCamera:MotionPhoto=\"1\" GCamera:MotionPhotoVersion=\"1\""
                + " GCamera:MotionPhotoPresentationTimestampUs=\"500000\">"
                + "<Container:Directory><rdf:Seq>"
                + "<rdf:li rdf:parseType=\"Resource\"><Container:Item Item:Mime=\"image/jpeg\" Item:Semantic=\"Primary\""
                + " Item:Length=\"0\" Item:Padding=\"0\"/></rdf:li>"
                + "<rdf:li rdf:parseType=\"Resource\"><Container:Item Item:Mime=\"video/mp4\""
                + " Item:Semantic=\"MotionPhoto\" Item:Length=\"" + video.length + "\" Item:Padding=\"0\"/></rdf:li>"
                + "</rdf:Seq></Container:Directory></rdf:Description>");
        return concat(insertAfterSoi(jpeg(64, 48), concat(exifSegment(1), xmp)), video);
    }

    /** An Ultra HDR / MPO photo: an MPF index (APP2) in the primary image, the gain map JPEG appended after it. */
    public static byte[] ultraHdrJpeg() {
        byte[] gainMap = insertAfterSoi(jpeg(32, 24), xmpSegment("<rdf:Description rdf:about=\"\""
                + " xmlns:hdrgm=\"http://ns.adobe.com/hdr-gain-map/1.0/\" hdrgm:Version=\"1.0\"/>"));
        byte[] primary = insertAfterSoi(jpeg(64, 48), concat(
                xmpSegment("<rdf:Description rdf:about=\"\" xmlns:hdrgm=\"http://ns.adobe.com/hdr-gain-map/1.0/\""
                        + " hdrgm:Version=\"1.0\"/>"),
                mpfSegment(gainMap.length)));
        return concat(primary, gainMap);
    }

    /** A Samsung photo: the JPEG, then Samsung's trailer (data blocks, an SEFH directory, its length and SEFT). */
    public static byte[] samsungTrailerJpeg() {
        byte[] data = "\0\0\n\1\r\0\0\0Image_UTC_Data1764000000000".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer directory = ByteBuffer.allocate(4 + 4 + 4 + 12).order(ByteOrder.LITTLE_ENDIAN);
        directory.put("SEFH".getBytes(StandardCharsets.US_ASCII)).putInt(107).putInt(1)
                .putShort((short) 0).putShort((short) 0x0a01).putInt(directory.capacity() + data.length).putInt(data.length);
        ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(directory.capacity()).put("SEFT".getBytes(StandardCharsets.US_ASCII));
        return concat(jpeg(64, 48), data, directory.array(), tail.array());
    }

    // --- PNG ------------------------------------------------------------------------------------------------------

    /** 16 bits per sample. */
    public static byte[] png16Bit() {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                raster.setSample(x, y, 0, x * 1600 + y * 100);
            }
        }
        return TestImages.write(image, "png");
    }

    /** Adam7-interlaced. */
    public static byte[] interlacedPng() {
        return TestImages.write(gradient(40, 30), "png", param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
    }

    public static byte[] png(int width, int height) {
        return TestImages.write(gradient(width, height), "png");
    }

    // --- WebP -----------------------------------------------------------------------------------------------------

    /** VP8X with the animation flag, ANIM, then three ANMF frames each holding the lossless resource's bitstream. */
    public static byte[] animatedWebp() {
        byte[] still = resource("photo-lossless.webp");
        byte[] frameChunk = Arrays.copyOfRange(still, 12, still.length);
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        chunks.writeBytes(riffChunk("VP8X", le(new byte[10], b -> b.put((byte) 0x02).put(new byte[3]).put(u24(63)).put(u24(47)))));
        chunks.writeBytes(riffChunk("ANIM", le(new byte[6], b -> b.putInt(0xFFFFFFFF).putShort((short) 0))));
        for (int frame = 0; frame < 3; frame++) {
            byte[] header = le(new byte[16], b -> b.put(u24(0)).put(u24(0)).put(u24(63)).put(u24(47)).put(u24(100)).put((byte) 0));
            chunks.writeBytes(riffChunk("ANMF", concat(header, frameChunk)));
        }
        return riff(chunks.toByteArray());
    }

    // --- HEIC / HEIF ----------------------------------------------------------------------------------------------

    /**
     * How to build one HEIF file. {@code grid} makes the primary item a 2 × 2 grid of HEVC tiles with its
     * description in {@code idat}, as iPhones write; otherwise it is one {@code hvc1} item.
     */
    public record Heic(int width, int height, boolean grid, String[] brands, int rotation, int mirrorAxis,
            String primaryType) {

        public static Heic single(int width, int height) {
            return new Heic(width, height, false, new String[] {"heic", "mif1", "heic"}, 0, -1, "hvc1");
        }

        public static Heic grid(int width, int height) {
            return new Heic(width, height, true, new String[] {"heic", "mif1", "heic"}, 0, -1, "hvc1");
        }

        /** Major brand first, then the compatible brands. */
        public Heic brands(String... brands) {
            return new Heic(width, height, grid, brands, rotation, mirrorAxis, primaryType);
        }

        /** An {@code irot} of this many anti-clockwise quarter turns. */
        public Heic rotated(int quarterTurns) {
            return new Heic(width, height, grid, brands, quarterTurns, mirrorAxis, primaryType);
        }

        public Heic mirrored(int axis) {
            return new Heic(width, height, grid, brands, rotation, axis, primaryType);
        }

        public Heic primaryType(String type) {
            return new Heic(width, height, grid, brands, rotation, mirrorAxis, type);
        }
    }

    public static byte[] heic(Heic spec) {
        // Placeholder HEVC access units (length-prefixed NAL units), one per coded item.
        int coded = spec.grid() ? 4 : 1;
        byte[][] payloads = new byte[coded][];
        for (int i = 0; i < coded; i++) {
            payloads[i] = concat(be(new byte[4], b -> b.putInt(60)), filled(60, 0x26 + i));
        }
        byte[] ftyp = ftyp(spec.brands());
        // The iloc offsets depend on where mdat lands, which depends on the size of meta: build it twice.
        byte[] meta = heifMeta(spec, payloads, 0);
        meta = heifMeta(spec, payloads, ftyp.length + meta.length + 8);
        return concat(ftyp, meta, box("mdat", concat(payloads)));
    }

    private static byte[] heifMeta(Heic spec, byte[][] payloads, int mdatData) {
        byte[] hdlr = fullBox("hdlr", 0, 0, concat(new byte[4], ascii("pict"), new byte[12], new byte[] {0}));
        byte[] pitm = fullBox("pitm", 0, 0, be(new byte[2], b -> b.putShort((short) 1)));
        byte[] hvcC = box("hvcC", concat(new byte[] {1}, new byte[21], new byte[] {0}));
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        properties.writeBytes(hvcC);
        properties.writeBytes(ispe(spec.width(), spec.height()));
        int next = 3;
        int rotationIndex = 0;
        int mirrorIndex = 0;
        if (spec.rotation() != 0) {
            properties.writeBytes(box("irot", new byte[] {(byte) spec.rotation()}));
            rotationIndex = 0x80 | next++;
        }
        if (spec.mirrorAxis() >= 0) {
            properties.writeBytes(box("imir", new byte[] {(byte) spec.mirrorAxis()}));
            mirrorIndex = 0x80 | next++;
        }
        int tileIspe = next;
        if (spec.grid()) {
            properties.writeBytes(ispe(spec.width() / 2, spec.height() / 2));
        }
        byte[] ipco = box("ipco", properties.toByteArray());

        ByteArrayOutputStream infes = new ByteArrayOutputStream();
        ByteArrayOutputStream ipmaEntries = new ByteArrayOutputStream();
        int items = spec.grid() ? 5 : 1;
        byte[] primaryAssociations = spec.grid()
                ? associations(0x82, rotationIndex, mirrorIndex)
                : associations(0x81, 0x82, rotationIndex, mirrorIndex);
        infes.writeBytes(infe(1, spec.grid() ? "grid" : spec.primaryType()));
        ipmaEntries.writeBytes(concat(be(new byte[2], b -> b.putShort((short) 1)), primaryAssociations));
        for (int tile = 2; tile <= items; tile++) {
            int id = tile;
            infes.writeBytes(infe(id, "hvc1"));
            ipmaEntries.writeBytes(concat(be(new byte[2], b -> b.putShort((short) id)),
                    associations(0x81, tileIspe)));
        }
        byte[] iinf = fullBox("iinf", 0, 0, concat(be(new byte[2], b -> b.putShort((short) items)), infes.toByteArray()));
        byte[] ipma = fullBox("ipma", 0, 0, concat(be(new byte[4], b -> b.putInt(items)), ipmaEntries.toByteArray()));
        byte[] iprp = box("iprp", concat(ipco, ipma));

        byte[] gridDescription = be(new byte[8], b -> b.put((byte) 0).put((byte) 0).put((byte) 1).put((byte) 1)
                .putShort((short) spec.width()).putShort((short) spec.height()));
        ByteArrayOutputStream locations = new ByteArrayOutputStream();
        int offset = mdatData;
        if (spec.grid()) {
            locations.writeBytes(ilocEntry(1, 1, 0, gridDescription.length));
        }
        for (int i = 0; i < payloads.length; i++) {
            locations.writeBytes(ilocEntry(spec.grid() ? i + 2 : 1, 0, offset, payloads[i].length));
            offset += payloads[i].length;
        }
        byte[] iloc = fullBox("iloc", 1, 0, concat(new byte[] {0x44, 0x00},
                be(new byte[2], b -> b.putShort((short) items)), locations.toByteArray()));
        ByteArrayOutputStream children = new ByteArrayOutputStream();
        children.writeBytes(hdlr);
        children.writeBytes(pitm);
        children.writeBytes(iloc);
        children.writeBytes(iinf);
        if (spec.grid()) {
            byte[] dimg = box("dimg", be(new byte[2 + 2 + 8], b -> b.putShort((short) 1).putShort((short) 4)
                    .putShort((short) 2).putShort((short) 3).putShort((short) 4).putShort((short) 5)));
            children.writeBytes(fullBox("iref", 0, 0, dimg));
        }
        children.writeBytes(iprp);
        if (spec.grid()) {
            children.writeBytes(box("idat", gridDescription));
        }
        return fullBox("meta", 0, 0, children.toByteArray());
    }

    private static byte[] ispe(int width, int height) {
        return fullBox("ispe", 0, 0, be(new byte[8], b -> b.putInt(width).putInt(height)));
    }

    private static byte[] infe(int id, String type) {
        return fullBox("infe", 2, 0, concat(be(new byte[4], b -> b.putShort((short) id).putShort((short) 0)),
                ascii(type), new byte[] {0}));
    }

    /** ipma associations with 7-bit indices; zero indices are left out. */
    private static byte[] associations(int... indices) {
        int[] used = Arrays.stream(indices).filter(i -> (i & 0x7F) != 0).toArray();
        byte[] out = new byte[1 + used.length];
        out[0] = (byte) used.length;
        for (int i = 0; i < used.length; i++) {
            out[1 + i] = (byte) used[i];
        }
        return out;
    }

    /** iloc version 1 item with one extent: offset and length of 4 bytes each, no base offset. */
    private static byte[] ilocEntry(int id, int constructionMethod, int offset, int length) {
        return be(new byte[2 + 2 + 2 + 2 + 8], b -> b.putShort((short) id).putShort((short) constructionMethod)
                .putShort((short) 0).putShort((short) 1).putInt(offset).putInt(length));
    }

    private static byte[] ftyp(String... brands) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(ascii(brands[0]));
        content.writeBytes(new byte[4]);
        for (int i = 1; i < brands.length; i++) {
            content.writeBytes(ascii(brands[i]));
        }
        return box("ftyp", content.toByteArray());
    }

    /** A small MP4: ftyp, a moov with a movie header, and an mdat of placeholder samples. */
    public static byte[] mp4() {
        byte[] mvhd = fullBox("mvhd", 0, 0, be(new byte[96], b -> b.putInt(0).putInt(0).putInt(1000).putInt(1500)
                .putInt(0x00010000).putShort((short) 0x0100)));
        return concat(ftyp("isom", "isom", "iso2", "mp41"), box("moov", mvhd), box("mdat", filled(2048, 0x5A)));
    }

    public static byte[] box(String type, byte[] content) {
        return concat(be(new byte[4], b -> b.putInt(8 + content.length)), ascii(type), content);
    }

    public static byte[] fullBox(String type, int version, int flags, byte[] content) {
        return box(type, concat(be(new byte[4], b -> b.putInt(version << 24 | flags)), content));
    }

    // --- hostile files ----------------------------------------------------------------------------------------------

    /** A valid, tiny PNG whose header declares 100000 × 100000 pixels: 40 GB to decode. */
    public static byte[] pngBomb() {
        byte[] ihdr = be(new byte[13], b -> b.putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2));
        return concat(PNG_SIGNATURE, pngChunk("IHDR", ihdr), pngChunk("IDAT", new byte[] {0x78, 0x01}),
                pngChunk("IEND", new byte[0]));
    }

    /** A JPEG whose frame header declares 65000 × 65000 pixels. */
    public static byte[] jpegBomb() {
        byte[] photo = jpeg(16, 16);
        int sof = indexOf(photo, new byte[] {(byte) 0xFF, (byte) 0xC0});
        ByteBuffer.wrap(photo).putShort(sof + 5, (short) 65000).putShort(sof + 7, (short) 65000);
        return photo;
    }

    /** A HEIC whose primary item's ispe declares 100000 × 100000 pixels. */
    public static byte[] heicBomb() {
        return heic(Heic.single(100_000, 100_000));
    }

    /** A WebP whose VP8X canvas declares 100000 × 100000 pixels. */
    public static byte[] webpBomb() {
        byte[] still = resource("photo-lossless.webp");
        byte[] vp8x = riffChunk("VP8X", le(new byte[10], b -> b.put((byte) 0).put(new byte[3]).put(u24(99_999)).put(u24(99_999))));
        return riff(concat(vp8x, Arrays.copyOfRange(still, 12, still.length)));
    }

    /** SOI, then {@code count} empty COM segments (4 bytes each), then a real photo's segments: a segment flood. */
    public static byte[] jpegSegmentFlood(int count) {
        byte[] photo = jpeg(16, 16);
        ByteBuffer flood = ByteBuffer.allocate(count * 4);
        for (int i = 0; i < count; i++) {
            flood.put((byte) 0xFF).put((byte) 0xFE).putShort((short) 2);
        }
        return insertAfterSoi(photo, flood.array());
    }

    /** A HEIC cut off inside its mdat, as an interrupted upload leaves it. */
    public static byte[] truncatedHeic() {
        byte[] heic = heic(Heic.single(64, 48));
        return Arrays.copyOf(heic, heic.length - 30);
    }

    /** A PNG that is also a ZIP archive: the archive hides after IEND. */
    public static byte[] pngZipPolyglot() {
        return concat(png(32, 24), zip());
    }

    /** An AVIF: HEIF-structured, brand avif, an AV1 primary item. */
    public static byte[] avif() {
        return heic(Heic.single(64, 48).brands("avif", "avif", "mif1", "miaf").primaryType("av01"));
    }

    private static byte[] zip() {
        byte[] name = ascii("payload.txt");
        ByteBuffer local = ByteBuffer.allocate(30 + name.length + 5).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                .putInt(5).putInt(5).putShort((short) name.length).putShort((short) 0).put(name).put(ascii("hello"));
        return local.array();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    public static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length).putInt(data.length).put(ascii(type)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        return chunk.putInt((int) crc.getValue()).array();
    }

    private static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 90);
            }
        }
        return image;
    }

    /** APP1 "Exif\0\0" with a big-endian TIFF header and an IFD0 holding only Orientation. */
    public static byte[] exifSegment(int orientation) {
        byte[] tiff = be(new byte[8 + 2 + 12 + 4], b -> b.putShort((short) 0x4D4D).putShort((short) 42).putInt(8)
                .putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1)
                .putShort((short) orientation).putShort((short) 0).putInt(0));
        return jpegSegment(0xE1, concat(ascii("Exif"), new byte[2], tiff));
    }

    private static byte[] xmpSegment(String description) {
        String xml = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"
                + " xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" + description + "</rdf:RDF></x:xmpmeta>";
        return jpegSegment(0xE1, concat(ascii("http://ns.adobe.com/xap/1.0/"), new byte[1],
                xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** APP2 "MPF\0": a big-endian MP index with two entries, the primary image and the appended gain map. */
    private static byte[] mpfSegment(int gainMapLength) {
        byte[] index = be(new byte[8 + 2 + 3 * 12 + 4 + 32], b -> {
            b.putShort((short) 0x4D4D).putShort((short) 42).putInt(8).putShort((short) 3);
            b.putShort((short) 0xB000).putShort((short) 7).putInt(4).put(ascii("0100"));
            b.putShort((short) 0xB001).putShort((short) 4).putInt(1).putInt(2);
            b.putShort((short) 0xB002).putShort((short) 7).putInt(32).putInt(8 + 2 + 3 * 12 + 4);
            b.putInt(0);
            b.putInt(0x030000).putInt(0).putInt(0).putShort((short) 0).putShort((short) 0);
            b.putInt(0).putInt(gainMapLength).putInt(0).putShort((short) 0).putShort((short) 0);
        });
        return jpegSegment(0xE2, concat(ascii("MPF"), new byte[1], index));
    }

    private static byte[] jpegSegment(int marker, byte[] payload) {
        return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) ((payload.length + 2) >> 8), (byte) (payload.length + 2)},
                payload);
    }

    public static byte[] insertAfterSoi(byte[] jpeg, byte[] segments) {
        return concat(Arrays.copyOf(jpeg, 2), segments, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    private static byte[] riff(byte[] chunks) {
        return concat(ascii("RIFF"), le(new byte[4], b -> b.putInt(4 + chunks.length)), ascii("WEBP"), chunks);
    }

    private static byte[] riffChunk(String type, byte[] data) {
        byte[] padded = data.length % 2 == 0 ? data : Arrays.copyOf(data, data.length + 1);
        return concat(ascii(type), le(new byte[4], b -> b.putInt(data.length)), padded);
    }

    private static byte[] u24(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16)};
    }

    private interface Filler {
        void fill(ByteBuffer buffer);
    }

    private static byte[] be(byte[] into, Filler filler) {
        filler.fill(ByteBuffer.wrap(into).order(ByteOrder.BIG_ENDIAN));
        return into;
    }

    private static byte[] le(byte[] into, Filler filler) {
        filler.fill(ByteBuffer.wrap(into).order(ByteOrder.LITTLE_ENDIAN));
        return into;
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("pattern not found");
    }

    public static byte[] resource(String name) {
        try (InputStream in = PhotoCorpus.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test image " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
