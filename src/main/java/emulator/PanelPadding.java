package emulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Brings a rendered panel up to the size a real one has. Gemini 3 Pro Image's 2K panels are photographic PNGs of
 * about 6 MB; the emulator's flat drawing compresses to tens of kilobytes, which would hide what carrying, decoding
 * and storing a real panel costs. The PNG stays valid and looks the same: the extra bytes go into one ancillary,
 * private chunk ({@code paDd}) before {@code IEND}, which decoders skip. They are random, so they neither compress
 * nor encode any cheaper than a photograph's.
 */
final class PanelPadding {

    private static final byte[] TYPE = "paDd".getBytes(StandardCharsets.US_ASCII);
    /** Length, type and CRC around a chunk's data. */
    private static final int CHUNK_OVERHEAD = 12;
    /** IEND: length 0, type, CRC. */
    private static final int IEND_LENGTH = 12;

    private PanelPadding() {
    }

    /** The PNG grown to targetBytes; unchanged when it is already that large or targetBytes is 0. */
    static byte[] pad(byte[] png, int targetBytes) {
        int fill = targetBytes - png.length - CHUNK_OVERHEAD;
        if (targetBytes <= 0 || fill <= 0) {
            return png;
        }
        byte[] data = new byte[fill];
        new SplittableRandom(png.length).nextBytes(data);
        int iend = png.length - IEND_LENGTH;
        ByteBuffer out = ByteBuffer.allocate(png.length + CHUNK_OVERHEAD + fill);
        out.put(png, 0, iend);
        out.putInt(fill).put(TYPE).put(data);
        CRC32 crc = new CRC32();
        crc.update(TYPE);
        crc.update(data);
        out.putInt((int) crc.getValue());
        out.put(png, iend, IEND_LENGTH);
        return out.array();
    }
}
