package access;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The address a request without a token is counted by (docs/API.md, "Limits").
 *
 * <p>Rule: the <b>last</b> entry of {@code X-Forwarded-For}. On Cloud Run, Google's front end appends the address
 * it received the connection from to whatever {@code X-Forwarded-For} the client sent, so every entry but the last
 * may be made up by the client and only the last one is Google's. Without the header (a laptop, a test) the TCP
 * peer's address is used. An IPv6 client is counted by its /64 network, since one subscriber usually holds a whole
 * /64 and could otherwise step through its addresses to dodge the limit.
 */
@Component
public class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public String of(HttpServletRequest request) {
        String forwarded = lastForwardedFor(request);
        InetAddress address = parse(forwarded);
        if (address == null) {
            address = parse(request.getRemoteAddr());
        }
        if (address == null) {
            return "unknown";
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            for (int i = 8; i < 16; i++) {
                bytes[i] = 0;
            }
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address.getHostAddress();
    }

    /** Several header lines count as one list, in order (RFC 9110 §5.3). */
    private static String lastForwardedFor(HttpServletRequest request) {
        List<String> lines = Collections.list(request.getHeaders("X-Forwarded-For"));
        if (lines.isEmpty()) {
            return null;
        }
        String joined = String.join(",", lines);
        int comma = joined.lastIndexOf(',');
        return joined.substring(comma + 1).strip();
    }

    /**
     * An IP literal, or null. Only a dotted quad or something with a colon reaches InetAddress, which parses those
     * as literals: a name would be looked up in DNS.
     */
    static InetAddress parse(String text) {
        if (text == null || text.length() > 45 || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
