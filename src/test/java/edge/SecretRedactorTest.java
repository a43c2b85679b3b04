package edge;

import static org.assertj.core.api.Assertions.assertThat;

import failures.SecretRedactor;
import org.junit.jupiter.api.Test;

/** Each shape of secret Google's and storage's errors are known to quote, and a registered secret of any shape. */
class SecretRedactorTest {

    @Test
    void googleApiKeysAndTokens() {
        assertThat(SecretRedactor.redact("Consumer 'api_key:AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7' has been suspended."))
                .isEqualTo("Consumer 'api_key:[redacted]' has been suspended.");
        assertThat(SecretRedactor.redact("GET https://x.googleapis.com/v1/models?key=abc123&alt=json"))
                .isEqualTo("GET https://x.googleapis.com/v1/models?key=[redacted]&alt=json");
        assertThat(SecretRedactor.redact("Authorization: Bearer panel-client-token-1234567"))
                .isEqualTo("Authorization: Bearer [redacted]");
        assertThat(SecretRedactor.redact("token ya29.a0AfH6SMBx-y_z")).isEqualTo("token [redacted]");
    }

    @Test
    void storageErrorsLoseTheAccountAndTheProjectNumber() {
        assertThat(SecretRedactor.redact("panel-worker@my-proj.iam.gserviceaccount.com does not have"
                + " storage.objects.create access to the Google Cloud Storage object. Permission denied on project"
                + " 123456789012 (projects/123456789012)"))
                .isEqualTo("[redacted] does not have storage.objects.create access to the Google Cloud Storage object."
                        + " Permission denied on project [redacted] (projects/[redacted])");
        assertThat(SecretRedactor.redact("123456789012-compute@developer.gserviceaccount.com")).isEqualTo("[redacted]");
    }

    @Test
    void signedUrlsPrivateKeysAndPasswordsInUrls() {
        assertThat(SecretRedactor.redact("https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256"
                + "&X-Goog-Credential=sa%40p.iam&X-Goog-Signature=0badc0ffee"))
                .isEqualTo("https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256"
                        + "&X-Goog-Credential=[redacted]&X-Goog-Signature=[redacted]");
        assertThat(SecretRedactor.redact("{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n\"}"))
                .isEqualTo("{\"private_key\": \"[redacted]\\n\"}");
        assertThat(SecretRedactor.redact("connecting to rediss://default:p4ss-w0rd@eu1.upstash.io:6379"))
                .isEqualTo("connecting to rediss://default:[redacted]@eu1.upstash.io:6379");
    }

    @Test
    void aRegisteredSecretIsRedactedWhateverItsShape() {
        SecretRedactor.register("plain-looking-secret-42");
        assertThat(SecretRedactor.redact("the key plain-looking-secret-42 was refused"))
                .isEqualTo("the key [redacted] was refused");
        assertThat(SecretRedactor.redact("Nothing secret here: job 7 FAILED at 12:00")).isEqualTo(
                "Nothing secret here: job 7 FAILED at 12:00");
    }

    @Test
    void shapesMatchedWhateverTheirCaseAndOneSecretContainingAnother() {
        assertThat(SecretRedactor.redact("AUTHORIZATION: BEARER panel-client-token-1234567"))
                .isEqualTo("AUTHORIZATION: BEARER [redacted]");
        assertThat(SecretRedactor.redact("Permission denied on PROJECTS/123456789012"))
                .isEqualTo("Permission denied on PROJECTS/[redacted]");
        assertThat(SecretRedactor.redact("GET /v1/models?KEY=abc123&alt=json"))
                .isEqualTo("GET /v1/models?KEY=[redacted]&alt=json");
        assertThat(SecretRedactor.redact("REDISS://default:p4ss-w0rd@eu1.upstash.io:6379"))
                .isEqualTo("REDISS://default:[redacted]@eu1.upstash.io:6379");
        // The shorter registered first: the longer is still taken out whole, not left with its tail showing.
        SecretRedactor.register("shared-prefix-secret");
        SecretRedactor.register("shared-prefix-secret-and-more");
        assertThat(SecretRedactor.redact("got shared-prefix-secret-and-more and shared-prefix-secret"))
                .isEqualTo("got [redacted] and [redacted]");
    }
}
