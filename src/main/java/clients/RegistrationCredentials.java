package clients;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OAuth credentials {@code files:register} needs besides the Gemini API key: the worker's own identity (Cloud
 * Run's service account through Application Default Credentials, or GOOGLE_APPLICATION_CREDENTIALS), never a new
 * key. Against the storage emulator, a fixed stand-in token: the emulators check one is sent, not what it is.
 * Looked up on first use, so a worker that uploads its photos never needs them.
 */
public final class RegistrationCredentials {

    /** Google's broad scope; what the token may do is bounded by the identity's IAM roles. */
    static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");

    private final boolean storageEmulator;
    private final String credentialsFile;
    private volatile GoogleCredentials credentials;

    public RegistrationCredentials(boolean storageEmulator, String credentialsFileOrNull) {
        this.storageEmulator = storageEmulator;
        this.credentialsFile = credentialsFileOrNull == null || credentialsFileOrNull.isBlank()
                ? null : credentialsFileOrNull;
    }

    /** The credentials, found once; the SDK refreshes their token when it expires. */
    public GoogleCredentials get() {
        GoogleCredentials found = credentials;
        if (found == null) {
            synchronized (this) {
                if (credentials == null) {
                    credentials = find();
                }
                found = credentials;
            }
        }
        return found;
    }

    private GoogleCredentials find() {
        if (storageEmulator) {
            return GoogleCredentials.create(new AccessToken("emulator", null));
        }
        try {
            GoogleCredentials found;
            if (credentialsFile == null) {
                found = GoogleCredentials.getApplicationDefault();
            } else {
                try (InputStream in = Files.newInputStream(Path.of(credentialsFile))) {
                    found = GoogleCredentials.fromStream(in);
                }
            }
            return found.createScopedRequired() ? found.createScoped(SCOPES) : found;
        } catch (IOException e) {
            throw new UncheckedIOException("PANEL_GEMINI_PHOTOS=register needs Google credentials for files:register"
                    + " (the service identity on Cloud Run, or GOOGLE_APPLICATION_CREDENTIALS)", e);
        }
    }
}
