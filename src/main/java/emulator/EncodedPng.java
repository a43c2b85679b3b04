package emulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A PNG's base64 text, encoded once and written into answers as it is. A cached panel is answered many times: a
 * real 2K panel is 8 MB of base64, and encoding it again for every answer made most of this emulator's CPU, on
 * the cores a benchmark shares with the service under test.
 */
final class EncodedPng implements JsonSerializable {
    private final byte[] base64;

    EncodedPng(byte[] png) {
        this.base64 = Base64.getEncoder().encode(png);
    }

    /** Written between quotes without escaping: base64's alphabet needs none. */
    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeRawUTF8String(base64, 0, base64.length);
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider provider, TypeSerializer types)
            throws IOException {
        serialize(generator, provider);
    }

    /** The base64 text, as {@code asText()} of the node holding it answers. */
    @Override
    public String toString() {
        return new String(base64, StandardCharsets.US_ASCII);
    }
}
