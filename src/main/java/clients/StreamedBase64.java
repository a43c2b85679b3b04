package clients;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes one base64 string that arrives in pieces (as the answer streams in) into one array. The pieces are staged
 * in 4-aligned blocks of {@link #STAGE} characters; the decoded bytes go into an array sized once from what the answer
 * can still hold when that is known (its Content-Length), else grown by doubling. Padding is required, as Google sends
 * it: a string whose length is not a multiple of 4 was cut short and fails, as does '=' anywhere but at its end.
 *
 * <p>A stage's groups are decoded two characters per table lookup, four characters read as one int. The images run
 * C1 only, which has no intrinsic for {@link Base64.Decoder}: its per-character loop cost a 6 MB panel about three
 * times what it costs under C2 (BENCHMARKS.md, "Hot loops under C1"). Each stage's last group, which may hold the
 * padding, and any stage the table refuses go through {@link Base64.Decoder}, so what is accepted and the reasons
 * given for what is not stay the JDK's.
 */
final class StreamedBase64 {

    /** Characters decoded at a time: a multiple of 4, small beside a panel, large enough to amortise each call. */
    static final int STAGE = 64 * 1024;
    /** Capacity when the answer's length is unknown (chunked or gzipped): grown by doubling from here. */
    private static final int FIRST_CAPACITY = 256 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** The characters a base64 string may hold, padding included; everything else needs a closer look. */
    private static final boolean[] ALPHABET = new boolean[256];

    /**
     * Two characters, as the 16 bits they fill in a little-endian read (first character low), to the 12 bits they
     * encode; -1 when either is not a base64 digit (padding included). 128 KiB, shared.
     */
    private static final short[] PAIRS = new short[1 << 16];

    static {
        byte[] digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII);
        for (byte c : digits) {
            ALPHABET[c] = true;
        }
        ALPHABET['='] = true;
        Arrays.fill(PAIRS, (short) -1);
        for (int first = 0; first < 64; first++) {
            for (int second = 0; second < 64; second++) {
                PAIRS[digits[first] | digits[second] << 8] = (short) (first << 6 | second);
            }
        }
    }

    private final byte[] stage = new byte[STAGE];
    private final byte[] block = new byte[STAGE / 4 * 3];
    private int staged;
    private long characters;
    private boolean padded;
    private byte[] bytes;
    private int size;

    /** @param bound the most bytes the string can decode to, or a negative number when that is unknown */
    StreamedBase64(long bound) {
        bytes = new byte[bound < 0 ? FIRST_CAPACITY : (int) Math.min(bound, MAX_ARRAY)];
    }

    /** True for the characters that go to {@link #append(byte[], int, int)} as they are. */
    static boolean isBase64(byte c) {
        return ALPHABET[c & 0xFF];
    }

    /**
     * Where the run of ordinary characters from {@code i} ends: at the first quote, backslash, space or control
     * character, else at {@code n}. Eight bytes at a time (a byte-wise test in a long: a panel is millions of
     * characters and this scan sees each once); anything else that is not base64 is left for the decoder to refuse.
     */
    static int ordinaryRun(byte[] bytes, int i, int n) {
        while (i + 8 <= n) {
            long x = (long) LONGS.get(bytes, i);
            long quote = x ^ 0x2222222222222222L;
            long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
            long special = (quote - ONES) & ~quote | (backslash - ONES) & ~backslash
                    | (x - 0x2121212121212121L) & ~x;
            if ((special & HIGHS) != 0) {
                break;
            }
            i += 8;
        }
        while (i < n) {
            byte c = bytes[i];
            if (c == '"' || c == '\\' || (c >= 0 && c <= ' ')) {
                return i;
            }
            i++;
        }
        return n;
    }

    /** Adds base64 characters; decodes every full stage at once. */
    void append(byte[] source, int from, int to) throws UnreadableImageException {
        while (from < to) {
            int n = Math.min(to - from, STAGE - staged);
            System.arraycopy(source, from, stage, staged, n);
            staged += n;
            from += n;
            if (staged == STAGE) {
                decodeStage(STAGE);
            }
        }
    }

    /** Adds one base64 character that came escaped in the JSON string (a backslash before it, or its code). */
    void append(byte c) throws UnreadableImageException {
        stage[staged++] = c;
        if (staged == STAGE) {
            decodeStage(STAGE);
        }
    }

    /** The decoded bytes, exactly as many as the string held. */
    byte[] finish() throws UnreadableImageException {
        long total = characters + staged;
        if (total % 4 != 0) {
            throw new UnreadableImageException("its base64 was cut short (" + total
                    + " characters, not a multiple of 4)");
        }
        if (staged > 0) {
            decodeStage(staged);
        }
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** Decodes the first {@code length} staged characters, a positive multiple of 4. */
    private void decodeStage(int length) throws UnreadableImageException {
        if (padded) {
            throw new UnreadableImageException("its base64 has padding before its end");
        }
        int body = length - 4;
        ensureRoom(length / 4 * 3);
        if (decodeGroups(stage, body, bytes, size)) {
            size += body / 4 * 3;
            size += decodeWithJdk(Arrays.copyOfRange(stage, body, length), length, bytes, size);
        } else {
            size += decodeWithJdk(Arrays.copyOf(stage, length), length, bytes, size);
        }
        padded = stage[length - 1] == '=';
        characters += length;
        staged = 0;
    }

    /**
     * Decodes {@code length} characters (a multiple of 4, no padding) into {@code into} from {@code at}; false,
     * with nothing to rely on written, when one is not a base64 digit.
     */
    private static boolean decodeGroups(byte[] characters4, int length, byte[] into, int at) {
        short[] pairs = PAIRS;
        for (int i = 0; i < length; i += 4, at += 3) {
            int four = (int) INTS.get(characters4, i);
            int high = pairs[four & 0xFFFF];
            int low = pairs[four >>> 16];
            if ((high | low) < 0) {
                return false;
            }
            int bits = high << 12 | low;
            into[at] = (byte) (bits >>> 16);
            into[at + 1] = (byte) (bits >>> 8);
            into[at + 2] = (byte) bits;
        }
        return true;
    }

    /**
     * {@link Base64.Decoder} on these characters, part or all of the stage of {@code stageLength} being decoded; its
     * refusal, with its reason, as an unreadable image.
     */
    private int decodeWithJdk(byte[] characters4, int stageLength, byte[] into, int at)
            throws UnreadableImageException {
        try {
            int n = DECODER.decode(characters4, block);
            System.arraycopy(block, 0, into, at, n);
            return n;
        } catch (IllegalArgumentException e) {
            // Where the stage lies in the whole string: its first character and the one after its last.
            throw new UnreadableImageException("its base64 is invalid between characters " + characters + " and "
                    + (characters + stageLength) + " (" + e.getMessage() + ")");
        }
    }

    private void ensureRoom(int n) throws UnreadableImageException {
        if (bytes.length - size >= n) {
            return;
        }
        long wanted = Math.max((long) size + n, Math.min(MAX_ARRAY, 2L * bytes.length));
        if (wanted > MAX_ARRAY) {
            throw new UnreadableImageException("it is larger than an array can hold");
        }
        bytes = Arrays.copyOf(bytes, (int) wanted);
    }
}
