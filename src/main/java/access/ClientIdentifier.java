package access;

import config.PanelOneProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Tells who sent a request from its {@code Authorization: Bearer <token>} header (docs/API.md, "Naming the client").
 * Open mode: any well-formed token is a client's own handle. Key mode: the token must be one of the configured keys,
 * compared in constant time. The token itself goes no further than this class: callers get its hash.
 */
@Component
public class ClientIdentifier {
    private static final String SCHEME = "bearer";

    private final boolean keyMode;
    private final List<byte[]> keyDigests;
    private final ClientAddress addresses;

    public ClientIdentifier(PanelOneProperties properties, ClientAddress addresses) {
        this.keyMode = properties.access().keyMode();
        this.keyDigests = properties.access().apiKeys().stream().map(ClientIdentifier::digest).toList();
        this.addresses = addresses;
    }

    /** The caller, or an {@link AccessRefusedException} (400 malformed token, 401 key mode without a valid key). */
    public Client identify(HttpServletRequest request) {
        String token = bearerToken(request);
        if (token == null) {
            if (keyMode) {
                throw AccessRefusedException.unauthorized(
                        "This Panel One needs an API key: send it as 'Authorization: Bearer <key>'.");
            }
            return new Client(null, "ip:" + addresses.of(request));
        }
        byte[] digest = digest(token);
        if (keyMode && !isKey(digest)) {
            throw AccessRefusedException.unauthorized("The API key is not valid.");
        }
        String owner = HexFormat.of().formatHex(digest);
        return new Client(owner, "token:" + owner);
    }

    /** The token of a well-formed Bearer header, null without the header; anything else is refused. */
    private String bearerToken(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders("Authorization"));
        if (values.isEmpty()) {
            return null;
        }
        String value = values.size() == 1 ? values.get(0).strip() : "";
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (!scheme.toLowerCase(Locale.ROOT).equals(SCHEME) || !PanelOneProperties.Access.isWellFormedToken(token)) {
            if (keyMode) {
                // Whatever it was, it is not a key; saying more would only help someone guessing.
                throw AccessRefusedException.unauthorized("The API key is not valid.");
            }
            throw AccessRefusedException.malformed("The Authorization header must be 'Bearer <token>', the token "
                    + "16 to 128 characters of A-Z a-z 0-9 . _ ~ -");
        }
        return token;
    }

    /** Looks at every key whatever the outcome, and compares digests of equal length: timing tells nothing. */
    private boolean isKey(byte[] digest) {
        boolean found = false;
        for (byte[] key : keyDigests) {
            found |= MessageDigest.isEqual(key, digest);
        }
        return found;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
