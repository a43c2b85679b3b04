package images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a HEIC or HEIF image (ISO/IEC 23008-12) the way the format defines it: ISO-BMFF boxes whose sizes are
 * consistent and tile the file, an {@code ftyp} brand of the HEIF family, a {@code meta} box with a picture handler,
 * a primary item ({@code pitm}) of an image type with its dimensions ({@code ispe}), and every item's data
 * ({@code iloc} extents) inside the file. A cut-off upload loses the end of {@code mdat}, which both the box sizes
 * and the extents then point past. Pixels are not decoded.
 *
 * <p>Brands accepted: {@code heic heix heim heis hevc hevx} (HEVC-coded, sent as {@code image/heic}) and
 * {@code mif1 mif2 msf1} (the generic HEIF brands, sent as {@code image/heif}), as major or compatible brand.
 * AVIF ({@code avif avis}, primary item {@code av01}) is HEIF-structured too and lists {@code mif1}, but is refused:
 * Gemini's documented image types are JPEG, PNG, WebP, HEIC and HEIF, and an AV1 payload sent as HEIF would fail at
 * Gemini halfway through a job instead of at intake with a reason.
 *
 * <p>After the last box only zero padding or the trailer Samsung phones append to their photos (ending in
 * {@code SEFT}) is tolerated: anything else is indistinguishable from a box cut off mid-header.
 */
final class HeifStructure {

    /** An iPhone HEIC has about a hundred boxes (a 48-tile grid, its properties, EXIF, depth). */
    static final int MAX_BOXES = 10_000;
    static final int MAX_ITEMS = 10_000;
    static final int MAX_EXTENTS = 65_536;

    private static final Set<Integer> HEVC_BRANDS = fourCcs("heic", "heix", "heim", "heis", "hevc", "hevx");
    private static final Set<Integer> GENERIC_BRANDS = fourCcs("mif1", "mif2", "msf1");
    private static final Set<Integer> AVIF_BRANDS = fourCcs("avif", "avis");
    /** HEVC-coded items and the derived images (grid, identity, overlay) phones build from them; JPEG is allowed by mif1. */
    private static final Set<Integer> IMAGE_ITEM_TYPES = fourCcs("hvc1", "hev1", "grid", "iden", "iovl", "jpeg");

    private static final int FTYP = fourCc("ftyp");
    private static final int META = fourCc("meta");
    private static final int HDLR = fourCc("hdlr");
    private static final int PICT = fourCc("pict");
    private static final int PITM = fourCc("pitm");
    private static final int IINF = fourCc("iinf");
    private static final int INFE = fourCc("infe");
    private static final int ILOC = fourCc("iloc");
    private static final int IPRP = fourCc("iprp");
    private static final int IPCO = fourCc("ipco");
    private static final int IPMA = fourCc("ipma");
    private static final int IDAT = fourCc("idat");
    private static final int ISPE = fourCc("ispe");
    private static final int IROT = fourCc("irot");
    private static final int IMIR = fourCc("imir");
    private static final int AV01 = fourCc("av01");
    private static final int SEFT = fourCc("SEFT");

    /** One box: its type, where it starts, where its content starts, and where it ends. */
    private record Box(int type, long start, long content, long end) {
    }

    private final ByteSource source;
    private final ImageLimits limits;
    private int boxes;

    private HeifStructure(ByteSource source, ImageLimits limits) {
        this.source = source;
        this.limits = limits;
    }

    static ImageInfo inspect(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
        return new HeifStructure(source, limits).inspect();
    }

    private ImageInfo inspect() throws IOException, InvalidImageException {
        List<Box> top = topLevelBoxes();
        Box ftyp = top.get(0);
        if (ftyp.type() != FTYP) {
            throw corrupt("the first box is " + name(ftyp.type()) + ", not ftyp");
        }
        ImageFormat format = brandFormat(ftyp);
        Box meta = null;
        for (Box box : top) {
            if (box.type() == META) {
                if (meta != null) {
                    throw corrupt("more than one meta box");
                }
                meta = box;
            }
        }
        if (meta == null) {
            throw corrupt("no meta box, so no still image");
        }
        return inspectMeta(meta, format);
    }

    /** The top-level boxes, which must tile the file up to padding or a Samsung trailer. */
    private List<Box> topLevelBoxes() throws IOException, InvalidImageException {
        long size = source.size();
        List<Box> top = new ArrayList<>();
        long position = 0;
        while (position < size) {
            if (!top.isEmpty() && source.onlyZerosFrom(position)) {
                break;
            }
            Box box;
            try {
                box = box(position, size, true);
            } catch (InvalidImageException notABox) {
                if (!top.isEmpty() && endsWithSamsungTrailer()) {
                    break;
                }
                throw notABox;
            }
            top.add(box);
            position = box.end();
        }
        return top;
    }

    private boolean endsWithSamsungTrailer() throws IOException {
        long size = source.size();
        return size >= 4 && source.window(size - 4, 4, ByteOrder.BIG_ENDIAN).getInt() == SEFT;
    }

    /**
     * The box whose header starts at {@code position} and which must end by {@code limit}. At the top level a box
     * running past the end means the file was cut off; inside another box, that the structure is corrupt.
     */
    private Box box(long position, long limit, boolean topLevel) throws IOException, InvalidImageException {
        if (++boxes > MAX_BOXES) {
            throw corrupt("more than " + MAX_BOXES + " boxes");
        }
        if (position + 8 > limit) {
            throw topLevel ? truncated("ends inside a box header") : corrupt("a box header overruns its parent");
        }
        ByteBuffer header = source.window(position, 8, ByteOrder.BIG_ENDIAN);
        long size = header.getInt(0) & 0xFFFFFFFFL;
        int type = header.getInt(4);
        if (!isFourCc(type)) {
            throw corrupt("invalid box header at byte " + position);
        }
        long content = position + 8;
        if (size == 1) {
            if (position + 16 > limit) {
                throw topLevel ? truncated("ends inside a box header") : corrupt("a box header overruns its parent");
            }
            size = source.window(position + 8, 8, ByteOrder.BIG_ENDIAN).getLong();
            content = position + 16;
        } else if (size == 0) {
            // "Extends to the end of the file": only meaningful for the last top-level box.
            if (!topLevel) {
                throw corrupt(name(type) + " box has no size");
            }
            size = limit - position;
        }
        if (size < content - position) {
            throw corrupt("invalid size of " + name(type) + " box at byte " + position);
        }
        if (size > limit - position) {
            throw topLevel ? truncated(name(type) + " box runs past the end of the file")
                    : corrupt(name(type) + " box overruns its parent");
        }
        return new Box(type, position, content, position + size);
    }

    /** The boxes inside {@code parent} from {@code from} (after any header fields) to its end. */
    private List<Box> children(Box parent, long from) throws IOException, InvalidImageException {
        List<Box> children = new ArrayList<>();
        long position = from;
        while (position < parent.end()) {
            Box child = box(position, parent.end(), false);
            children.add(child);
            position = child.end();
        }
        return children;
    }

    private ImageFormat brandFormat(Box ftyp) throws IOException, InvalidImageException {
        if (ftyp.end() - ftyp.content() < 8) {
            throw corrupt("ftyp box too short");
        }
        List<Integer> brands = new ArrayList<>();
        brands.add(source.window(ftyp.content(), 4, ByteOrder.BIG_ENDIAN).getInt());
        for (long at = ftyp.content() + 8; at + 4 <= ftyp.end() && brands.size() < 64; at += 4) {
            brands.add(source.window(at, 4, ByteOrder.BIG_ENDIAN).getInt());
        }
        if (AVIF_BRANDS.contains(brands.get(0))) {
            throw avif();
        }
        if (brands.stream().anyMatch(HEVC_BRANDS::contains)) {
            return ImageFormat.HEIC;
        }
        if (brands.stream().anyMatch(GENERIC_BRANDS::contains)) {
            return ImageFormat.HEIF;
        }
        // An MP4 or QuickTime video, a 3GP, a JPEG 2000: the same box structure, not a photo.
        StringBuilder names = new StringBuilder();
        brands.stream().distinct().limit(6).forEach(b -> names.append(names.isEmpty() ? "" : ", ").append(name(b)));
        throw new InvalidImageException("is not a JPEG, PNG, WebP, HEIC or HEIF image (an ISO media file of brand "
                + names + ")");
    }

    private ImageInfo inspectMeta(Box meta, ImageFormat format) throws IOException, InvalidImageException {
        Map<Integer, Box> parts = new HashMap<>();
        for (Box child : children(meta, meta.content() + 4)) {
            parts.putIfAbsent(child.type(), child);
        }
        Box hdlr = parts.get(HDLR);
        if (hdlr == null || hdlr.end() - hdlr.content() < 12
                || source.window(hdlr.content() + 8, 4, ByteOrder.BIG_ENDIAN).getInt() != PICT) {
            throw corrupt("its meta box is not for a picture (no pict handler)");
        }
        Box pitm = parts.get(PITM);
        if (pitm == null) {
            throw corrupt("no primary image (pitm)");
        }
        Cursor pitmFields = new Cursor(pitm);
        int pitmVersion = pitmFields.u8();
        pitmFields.skip(3);
        long primary = pitmVersion == 0 ? pitmFields.u16() : pitmFields.u32();

        Map<Long, Integer> itemTypes = itemTypes(parts.get(IINF));
        Integer primaryType = itemTypes.get(primary);
        if (primaryType == null) {
            throw corrupt("the primary item " + primary + " is not described (iinf)");
        }
        if (primaryType == AV01) {
            throw avif();
        }
        if (!IMAGE_ITEM_TYPES.contains(primaryType)) {
            throw new InvalidImageException("is a " + format.displayName() + " whose primary item is "
                    + name(primaryType) + ", not an image Gemini can read");
        }

        checkItemData(parts.get(ILOC), parts.get(IDAT), primary);

        Box iprp = parts.get(IPRP);
        if (iprp == null) {
            throw new InvalidImageException("has no image dimensions");
        }
        List<Box> properties = List.of();
        Box ipma = null;
        for (Box child : children(iprp, iprp.content())) {
            if (child.type() == IPCO && properties.isEmpty()) {
                properties = children(child, child.content());
            } else if (child.type() == IPMA && ipma == null) {
                ipma = child;
            }
        }
        int width = 0;
        int height = 0;
        Orientation orientation = Orientation.NORMAL;
        for (int index : associations(ipma, primary)) {
            if (index < 1 || index > properties.size()) {
                throw corrupt("the primary item has a property that does not exist");
            }
            Box property = properties.get(index - 1);
            Cursor fields = new Cursor(property);
            if (property.type() == ISPE && width == 0) {
                fields.skip(4);
                long w = fields.u32();
                long h = fields.u32();
                if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
                    throw new InvalidImageException("has no image dimensions");
                }
                limits.checkPixels(w, h);
                width = (int) w;
                height = (int) h;
            } else if (property.type() == IROT) {
                // Anti-clockwise quarter turns, applied in the order the properties are listed.
                orientation = orientation.thenRotateClockwise(-(fields.u8() & 3));
            } else if (property.type() == IMIR) {
                // Axis 0 is the vertical axis (left and right swap), 1 the horizontal one.
                orientation = (fields.u8() & 1) == 0 ? orientation.thenMirrorLeftRight()
                        : orientation.thenMirrorTopBottom();
            }
        }
        if (width == 0) {
            throw new InvalidImageException("has no image dimensions");
        }
        return new ImageInfo(format, width, height, orientation);
    }

    /** Item id to item type, from the version 2 and 3 item info entries phones write. */
    private Map<Long, Integer> itemTypes(Box iinf) throws IOException, InvalidImageException {
        Map<Long, Integer> types = new HashMap<>();
        if (iinf == null) {
            return types;
        }
        Cursor header = new Cursor(iinf);
        int version = header.u8();
        header.skip(3);
        long count = version == 0 ? header.u16() : header.u32();
        if (count > MAX_ITEMS) {
            throw corrupt("more than " + MAX_ITEMS + " items");
        }
        for (Box infe : children(iinf, header.position())) {
            if (infe.type() != INFE) {
                continue;
            }
            Cursor fields = new Cursor(infe);
            int infeVersion = fields.u8();
            fields.skip(3);
            if (infeVersion < 2) {
                // Versions 0 and 1 carry no item type; HEIF requires 2 or 3 for image items.
                continue;
            }
            long id = infeVersion == 2 ? fields.u16() : fields.u32();
            fields.skip(2);
            types.putIfAbsent(id, (int) fields.u32());
        }
        return types;
    }

    /**
     * Every item's data must lie inside the file (construction method 0) or inside {@code idat} (method 1); the
     * primary item must have data. An extent past the end is how a cut-off HEIC whose {@code mdat} declares no
     * size shows.
     */
    private void checkItemData(Box iloc, Box idat, long primary) throws IOException, InvalidImageException {
        if (iloc == null) {
            throw corrupt("no item locations (iloc)");
        }
        Cursor fields = new Cursor(iloc);
        int version = fields.u8();
        fields.skip(3);
        if (version > 2) {
            throw corrupt("unknown iloc version " + version);
        }
        int sizes = fields.u8();
        int offsetSize = sizes >>> 4;
        int lengthSize = sizes & 0xF;
        int more = fields.u8();
        int baseOffsetSize = more >>> 4;
        int indexSize = version == 0 ? 0 : more & 0xF;
        long count = version < 2 ? fields.u16() : fields.u32();
        if (count > MAX_ITEMS) {
            throw corrupt("more than " + MAX_ITEMS + " items");
        }
        long fileSize = source.size();
        long idatStart = idat == null ? 0 : idat.content();
        long idatEnd = idat == null ? 0 : idat.end();
        boolean primaryHasData = false;
        long extents = 0;
        for (long i = 0; i < count; i++) {
            long id = version < 2 ? fields.u16() : fields.u32();
            int method = version == 0 ? 0 : fields.u16() & 0xF;
            int dataReference = fields.u16();
            long base = fields.uN(baseOffsetSize);
            int extentCount = fields.u16();
            extents += extentCount;
            if (extents > MAX_EXTENTS) {
                throw corrupt("more than " + MAX_EXTENTS + " item extents");
            }
            for (int e = 0; e < extentCount; e++) {
                fields.uN(indexSize);
                long offset = fields.uN(offsetSize);
                long length = fields.uN(lengthSize);
                if (dataReference != 0 || method == 2) {
                    // Data in another file, or built from other items: nothing here to bounds-check.
                    continue;
                }
                long start = method == 0 ? base + offset : idatStart + base + offset;
                long end = method == 0 ? fileSize : idatEnd;
                if (method == 1 && idat == null) {
                    throw corrupt("item " + id + " refers to an idat box that does not exist");
                }
                if (start < 0 || offset < 0 || length < 0 || start > end || length > end - start) {
                    throw truncated("the data of item " + id + " runs past the end of the file");
                }
            }
            if (id == primary && extentCount > 0) {
                primaryHasData = true;
            }
        }
        if (!primaryHasData) {
            throw corrupt("no data for the primary image");
        }
    }

    /** The property indices (1-based, in order) associated with {@code item}. */
    private List<Integer> associations(Box ipma, long item) throws IOException, InvalidImageException {
        List<Integer> indices = new ArrayList<>();
        if (ipma == null) {
            return indices;
        }
        Cursor fields = new Cursor(ipma);
        int version = fields.u8();
        boolean wideIndices = (fields.u24() & 1) != 0;
        long count = fields.u32();
        if (count > MAX_ITEMS) {
            throw corrupt("more than " + MAX_ITEMS + " items");
        }
        for (long i = 0; i < count; i++) {
            long id = version < 1 ? fields.u16() : fields.u32();
            int associations = fields.u8();
            for (int a = 0; a < associations; a++) {
                int index = wideIndices ? fields.u16() & 0x7FFF : fields.u8() & 0x7F;
                if (id == item) {
                    indices.add(index);
                }
            }
            if (id == item) {
                break;
            }
        }
        return indices;
    }

    /** Reads a box's fields in order, refusing to read past the box. */
    private final class Cursor {
        private final Box box;
        private long position;

        Cursor(Box box) {
            this.box = box;
            this.position = box.content();
        }

        long position() {
            return position;
        }

        void skip(int bytes) throws InvalidImageException {
            need(bytes);
            position += bytes;
        }

        int u8() throws IOException, InvalidImageException {
            need(1);
            return source.u8(position++);
        }

        int u16() throws IOException, InvalidImageException {
            return (int) uN(2);
        }

        int u24() throws IOException, InvalidImageException {
            return (int) uN(3);
        }

        long u32() throws IOException, InvalidImageException {
            return uN(4);
        }

        /** An unsigned big-endian number of 0 to 8 bytes; an 8-byte one past 2^63 comes back negative. */
        long uN(int bytes) throws IOException, InvalidImageException {
            if (bytes == 0) {
                return 0;
            }
            if (bytes > 8) {
                throw corrupt("invalid field size in " + name(box.type()) + " box");
            }
            need(bytes);
            ByteBuffer window = source.window(position, bytes, ByteOrder.BIG_ENDIAN);
            long value = 0;
            for (int i = 0; i < bytes; i++) {
                value = value << 8 | (window.get(i) & 0xFF);
            }
            position += bytes;
            return value;
        }

        private void need(int bytes) throws InvalidImageException {
            if (position + bytes > box.end()) {
                throw corrupt(name(box.type()) + " box too short");
            }
        }
    }

    private static boolean isFourCc(int type) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (type >>> shift) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static int fourCc(String name) {
        return ByteBuffer.wrap(name.getBytes(StandardCharsets.US_ASCII)).getInt();
    }

    private static Set<Integer> fourCcs(String... names) {
        Set<Integer> set = new java.util.HashSet<>();
        for (String name : names) {
            set.add(fourCc(name));
        }
        return Set.copyOf(set);
    }

    private static String name(int type) {
        StringBuilder name = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (type >>> shift) & 0xFF;
            name.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return name.toString().trim();
    }

    private static InvalidImageException avif() {
        return new InvalidImageException("is an AVIF image, which Gemini does not accept (send JPEG, PNG, WebP, "
                + "HEIC or HEIF)");
    }

    private static InvalidImageException truncated(String why) {
        return new InvalidImageException("is a truncated HEIF (" + why + ")");
    }

    private static InvalidImageException corrupt(String why) {
        return new InvalidImageException("is a corrupt HEIF (" + why + ")");
    }
}
