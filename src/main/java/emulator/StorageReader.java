package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * How the Gemini emulator reads a {@code gs://bucket/object} it was asked to register: from the storage emulator's
 * JSON API, as Gemini reads a registered object from Cloud Storage with its service agent's grant.
 */
final class StorageReader {

    /** What registration learns of an object. */
    record ObjectInfo(String gcsUri, String contentType, long size) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final String baseUrl;

    StorageReader(ObjectMapper json, String baseUrl) {
        this.json = json;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The object's metadata; empty when it does not exist. */
    Optional<ObjectInfo> describe(String gcsUri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(gcsUri, "");
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("storage answered " + response.statusCode() + " for " + gcsUri);
        }
        JsonNode object = json.readTree(response.body());
        return Optional.of(new ObjectInfo(gcsUri, object.path("contentType").asText("application/octet-stream"),
                object.path("size").asLong(-1)));
    }

    /** The object's bytes, read when a model call needs them (as Gemini reads them at generation time). */
    byte[] read(String gcsUri) {
        try {
            HttpResponse<byte[]> response = get(gcsUri, "?alt=media");
            return response.statusCode() / 100 == 2 ? response.body() : new byte[0];
        } catch (IOException e) {
            return new byte[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new byte[0];
        }
    }

    private HttpResponse<byte[]> get(String gcsUri, String query) throws IOException, InterruptedException {
        String[] location = split(gcsUri);
        URI uri = URI.create(baseUrl + "/storage/v1/b/" + encode(location[0]) + "/o/" + encode(location[1]) + query);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {bucket, object} of a {@code gs://} URI; IllegalArgumentException when it is not one. */
    static String[] split(String gcsUri) {
        if (gcsUri == null || !gcsUri.startsWith("gs://")) {
            throw new IllegalArgumentException("Not a Cloud Storage URI (gs://bucket/object): " + gcsUri);
        }
        String rest = gcsUri.substring("gs://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("Not a Cloud Storage URI (gs://bucket/object): " + gcsUri);
        }
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
