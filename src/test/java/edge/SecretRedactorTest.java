package edge;

import static org.assertj.core.api.Assertions.assertThat;

import failures.SecretRedactor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each shape of secret Google's and storage's errors are known to quote, and a registered secret of any shape. */
class SecretRedactorTest {

    /** A text as it could reach a log line or an answer, and what must be left of it. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                // Google API keys and tokens.
                Arguments.of("Consumer 'api_key:AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7' has been suspended.",
                        "Consumer 'api_key:[redacted]' has been suspended."),
                Arguments.of("GET https://x.googleapis.com/v1/models?key=abc123&alt=json",
                        "GET https://x.googleapis.com/v1/models?key=[redacted]&alt=json"),
                Arguments.of("Authorization: Bearer panel-client-token-1234567", "Authorization: Bearer [redacted]"),
                Arguments.of("token ya29.a0AfH6SMBx-y_z", "token [redacted]"),
                // Storage errors lose the account and the project number.
                Arguments.of("panel-worker@my-proj.iam.gserviceaccount.com does not have storage.objects.create"
                        + " access to the Google Cloud Storage object. Permission denied on project 123456789012"
                        + " (projects/123456789012)",
                        "[redacted] does not have storage.objects.create access to the Google Cloud Storage object."
                                + " Permission denied on project [redacted] (projects/[redacted])"),
                Arguments.of("123456789012-compute@developer.gserviceaccount.com", "[redacted]"),
                // Signed URLs, private keys, passwords in URLs.
                Arguments.of("https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256"
                        + "&X-Goog-Credential=sa%40p.iam&X-Goog-Signature=0badc0ffee",
                        "https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256"
                                + "&X-Goog-Credential=[redacted]&X-Goog-Signature=[redacted]"),
                Arguments.of("{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n\"}",
                        "{\"private_key\": \"[redacted]\\n\"}"),
                Arguments.of("connecting to rediss://default:p4ss-w0rd@eu1.upstash.io:6379",
                        "connecting to rediss://default:[redacted]@eu1.upstash.io:6379"),
                // The shapes whose patterns ignore case, written in upper case.
                Arguments.of("AUTHORIZATION: BEARER panel-client-token-1234567", "AUTHORIZATION: BEARER [redacted]"),
                Arguments.of("Permission denied on PROJECTS/123456789012", "Permission denied on PROJECTS/[redacted]"),
                Arguments.of("GET /v1/models?KEY=abc123&alt=json", "GET /v1/models?KEY=[redacted]&alt=json"),
                Arguments.of("REDISS://default:p4ss-w0rd@eu1.upstash.io:6379",
                        "REDISS://default:[redacted]@eu1.upstash.io:6379"),
                // Nothing secret: left as it is.
                Arguments.of("Nothing secret here: job 7 FAILED at 12:00", "Nothing secret here: job 7 FAILED at 12:00"));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void eachShapeIsRedacted(String text, String expected) {
        assertThat(SecretRedactor.redact(text)).isEqualTo(expected);
    }

    @Test
    void aRegisteredSecretIsRedactedWhateverItsShape() {
        SecretRedactor.register("plain-looking-secret-42");
        assertThat(SecretRedactor.redact("the key plain-looking-secret-42 was refused"))
                .isEqualTo("the key [redacted] was refused");
    }

    @Test
    void ofTwoRegisteredSecretsTheLongerIsTakenOutWhole() {
        // The shorter registered first: the longer is still taken out whole, not left with its tail showing.
        SecretRedactor.register("shared-prefix-secret");
        SecretRedactor.register("shared-prefix-secret-and-more");
        assertThat(SecretRedactor.redact("got shared-prefix-secret-and-more and shared-prefix-secret"))
                .isEqualTo("got [redacted] and [redacted]");
    }
}
