package ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Multipart;

class MultipartStreamReaderTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    /** One part as read: its headers and its body bytes. */
    record ReadPart(PartHeaders headers, byte[] body) {}

    static List<ReadPart> readAll(InputStream in, String boundary) throws IOException {
        MultipartStreamReader reader = new MultipartStreamReader(in, boundary, NO_LIMIT, 8192);
        List<ReadPart> parts = new ArrayList<>();
        for (PartHeaders headers = reader.nextPart(); headers != null; headers = reader.nextPart()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            long length = reader.transferBody(body, NO_LIMIT);
            assertThat(length).isEqualTo(body.size());
            parts.add(new ReadPart(headers, body.toByteArray()));
        }
        return parts;
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String boundaryOf(Multipart body) {
        return body.contentType().substring(body.contentType().indexOf("boundary=") + "boundary=".length());
    }

    /** Hands out at most {@code step} bytes a read, so delimiters and headers straddle every possible cut. */
    static InputStream trickle(byte[] bytes, int step) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    @Nested
    class WellFormedBodies {
        @ParameterizedTest(name = "{0} bytes a read")
        @ValueSource(ints = {1, 7, 4096, 65536, 1 << 20})
        void everyPartComesBackExactlyWhateverTheReadSizes(int step) throws Exception {
            byte[] big = random(300_000, 1);
            byte[] small = random(10, 2);
            // Bytes that look like the start of a delimiter, right before a real one.
            byte[] almost = "xx\r\n--\r\n-".getBytes(StandardCharsets.ISO_8859_1);
            Multipart body = new Multipart()
                    .file("files", "big.jpg", "image/jpeg", big)
                    .file("files", "small.png", null, small)
                    .file("files", "almost.webp", "image/webp", almost);

            List<ReadPart> parts = readAll(trickle(body.body(), step), boundaryOf(body));

            assertThat(parts).hasSize(3);
            assertThat(parts.get(0).headers()).isEqualTo(new PartHeaders("files", "big.jpg", "image/jpeg"));
            assertThat(parts.get(0).body()).isEqualTo(big);
            assertThat(parts.get(1).headers()).isEqualTo(new PartHeaders("files", "small.png", null));
            assertThat(parts.get(1).body()).isEqualTo(small);
            assertThat(parts.get(2).body()).isEqualTo(almost);
        }

        @Test
        void aBodyThatContainsTheBoundaryWithoutItsLineBreakIsData() throws Exception {
            Multipart probe = new Multipart();
            byte[] data = ("--" + boundaryOf(probe) + " is not a delimiter without CRLF").getBytes(StandardCharsets.UTF_8);
            probe.file("files", "a.jpg", "image/jpeg", data);

            assertThat(readAll(new ByteArrayInputStream(probe.body()), boundaryOf(probe)).get(0).body()).isEqualTo(data);
        }

        @Test
        void preambleEpilogueAndTransportPaddingAreIgnored() throws Exception {
            String body = "a preamble\r\n--b1 \t\r\nContent-Disposition: form-data; name=files; filename=\"x.jpg\"\r\n\r\n"
                    + "abc\r\n--b1--\r\nan epilogue";

            List<ReadPart> parts = readAll(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "b1");

            assertThat(parts).singleElement().satisfies(part -> {
                assertThat(part.headers().name()).isEqualTo("files");
                assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("abc");
            });
        }

        @Test
        void noPartsAtAll() throws Exception {
            Multipart empty = new Multipart();

            assertThat(readAll(new ByteArrayInputStream(empty.body()), boundaryOf(empty))).isEmpty();
        }

        @Test
        void partsLeftUnreadAreSkipped() throws Exception {
            Multipart body = new Multipart()
                    .file("files", "one.jpg", "image/jpeg", random(200_000, 3))
                    .file("files", "two.jpg", "image/jpeg", random(5, 4));
            MultipartStreamReader reader = new MultipartStreamReader(new ByteArrayInputStream(body.body()),
                    boundaryOf(body), NO_LIMIT, 8192);

            assertThat(reader.nextPart().fileName()).isEqualTo("one.jpg");
            assertThat(reader.nextPart().fileName()).isEqualTo("two.jpg");
            assertThat(reader.nextPart()).isNull();
        }
    }

    @Nested
    class Limits {
        @Test
        void aPartOverItsLimitStopsTheCopyThere() throws Exception {
            Multipart body = new Multipart().file("files", "big.jpg", "image/jpeg", random(100_000, 5));
            MultipartStreamReader reader = new MultipartStreamReader(new ByteArrayInputStream(body.body()),
                    boundaryOf(body), NO_LIMIT, 8192);
            reader.nextPart();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            assertThatThrownBy(() -> reader.transferBody(out, 99_999))
                    .isInstanceOf(MultipartStreamReader.PartTooLargeException.class);
            assertThat(out.size()).isEqualTo(99_999);
        }

        @Test
        void aPartExactlyAtItsLimitIsAccepted() throws Exception {
            Multipart body = new Multipart().file("files", "big.jpg", "image/jpeg", random(100_000, 5));
            MultipartStreamReader reader = new MultipartStreamReader(new ByteArrayInputStream(body.body()),
                    boundaryOf(body), NO_LIMIT, 8192);
            reader.nextPart();

            assertThat(reader.transferBody(OutputStream.nullOutputStream(), 100_000)).isEqualTo(100_000);
        }

        @Test
        void aBodyOverItsLimitIsRefusedWhileReading() {
            Multipart body = new Multipart().file("files", "big.jpg", "image/jpeg", random(300_000, 6));
            MultipartStreamReader reader = new MultipartStreamReader(new ByteArrayInputStream(body.body()),
                    boundaryOf(body), 200_000, 8192);

            assertThatThrownBy(() -> {
                reader.nextPart();
                reader.transferBody(OutputStream.nullOutputStream(), NO_LIMIT);
            }).isInstanceOf(MultipartStreamReader.BodyTooLargeException.class);
        }

        @Test
        void headersOverTheirLimitAreMalformed() {
            Multipart body = new Multipart().file("files", "x".repeat(2000) + ".jpg", "image/jpeg", new byte[] {1});
            MultipartStreamReader reader = new MultipartStreamReader(new ByteArrayInputStream(body.body()),
                    boundaryOf(body), NO_LIMIT, 1024);

            assertThatThrownBy(reader::nextPart)
                    .isInstanceOf(MultipartStreamReader.MalformedMultipartException.class)
                    .hasMessageContaining("headers are longer than 1024 bytes");
        }
    }

    @Nested
    class MalformedBodies {
        @Test
        void aBodyCutOffInsideAPart() {
            Multipart body = new Multipart().file("files", "a.jpg", "image/jpeg", random(1000, 7));
            byte[] cut = Arrays.copyOf(body.body(), 500);

            assertThatThrownBy(() -> readAll(new ByteArrayInputStream(cut), boundaryOf(body)))
                    .isInstanceOf(MultipartStreamReader.MalformedMultipartException.class)
                    .hasMessageContaining("ended before the closing boundary");
        }

        @Test
        void aBodyWithoutTheBoundary() {
            assertThatThrownBy(() -> readAll(new ByteArrayInputStream("just text".getBytes(StandardCharsets.UTF_8)), "b1"))
                    .isInstanceOf(MultipartStreamReader.MalformedMultipartException.class);
        }

        @Test
        void aBoundaryFollowedByJunk() {
            byte[] body = "--b1junk\r\n\r\nabc\r\n--b1--\r\n".getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> readAll(new ByteArrayInputStream(body), "b1"))
                    .isInstanceOf(MultipartStreamReader.MalformedMultipartException.class)
                    .hasMessageContaining("not followed by a line break");
        }

        @Test
        void aFailingStreamIsMalformedNotAServerError() {
            InputStream broken = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("connection reset");
                }
            };

            assertThatThrownBy(() -> readAll(broken, "b1"))
                    .isInstanceOf(MultipartStreamReader.MalformedMultipartException.class)
                    .hasMessageContaining("connection reset");
        }
    }

    @Nested
    class Headers {
        static PartHeaders headers(String... lines) {
            return PartHeaders.parse(List.of(lines));
        }

        @Test
        void namesAndTypesAreCaseInsensitiveAndValuesQuotedOrBare() {
            assertThat(headers("content-disposition: FORM-DATA; NAME=files; FileName=\"a b;c.jpg\"",
                    "CONTENT-TYPE: image/png"))
                    .isEqualTo(new PartHeaders("files", "a b;c.jpg", "image/png"));
        }

        @Test
        void aFieldHasNoFileName() {
            assertThat(headers("Content-Disposition: form-data; name=\"files\""))
                    .isEqualTo(new PartHeaders("files", null, null));
        }

        @Test
        void escapedQuotesAreUnescapedButWindowsPathsKeepTheirBackslashes() {
            assertThat(headers("Content-Disposition: form-data; name=\"files\"; filename=\"say \\\"hi\\\".jpg\"")
                    .fileName()).isEqualTo("say \"hi\".jpg");
            assertThat(headers("Content-Disposition: form-data; name=\"files\"; filename=\"C:\\Users\\me\\cat.jpg\"")
                    .fileName()).isEqualTo("C:\\Users\\me\\cat.jpg");
        }

        @Test
        void aPartThatIsNotFormDataHasNoName() {
            assertThat(headers("Content-Disposition: attachment; name=\"files\"; filename=\"a.jpg\"").name()).isNull();
            assertThat(headers("Content-Type: image/jpeg").name()).isNull();
        }
    }
}
