package support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds multipart/form-data bodies byte by byte, so tests can send exactly what a hostile client would. */
public final class Multipart {
    private final String boundary = "----panel" + UUID.randomUUID().toString().replace("-", "");
    private final List<byte[]> chunks = new ArrayList<>();

    public Multipart file(String field, String filename, String contentType, byte[] bytes) {
        return part(("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")).getBytes(StandardCharsets.UTF_8),
                bytes);
    }

    /** A file part whose filename is raw bytes (e.g. not UTF-8). */
    public Multipart rawNameFile(String field, byte[] filename, String contentType, byte[] bytes) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"").getBytes(StandardCharsets.UTF_8));
        head.writeBytes(filename);
        head.writeBytes(("\"\r\nContent-Type: " + contentType + "\r\n").getBytes(StandardCharsets.UTF_8));
        return part(head.toByteArray(), bytes);
    }

    public Multipart field(String name, String value) {
        return part(("Content-Disposition: form-data; name=\"" + name + "\"\r\n").getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private Multipart part(byte[] headers, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(headers);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        chunks.add(out.toByteArray());
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
