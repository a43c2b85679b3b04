package access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** The address a request without a token is counted by: the last X-Forwarded-For entry, never a looked-up name. */
class ClientAddressTest {
    private final ClientAddress addresses = new ClientAddress();

    private String of(String remote, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(remote);
        for (String line : forwardedFor) {
            request.addHeader("X-Forwarded-For", line);
        }
        return addresses.of(request);
    }

    @Test
    void theLastEntryIsTheOneGooglesFrontEndAppended() {
        assertThat(of("169.254.1.1", "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(of("169.254.1.1", "1.1.1.1, 2.2.2.2,203.0.113.7")).isEqualTo("203.0.113.7");
        // Several header lines are one list.
        assertThat(of("169.254.1.1", "1.1.1.1", "203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void withoutAUsableHeaderThePeerCounts() {
        assertThat(of("192.0.2.5")).isEqualTo("192.0.2.5");
        assertThat(of("192.0.2.5", "1.1.1.1, not-an-address")).isEqualTo("192.0.2.5");
        // Looks like hex, would be a DNS name to InetAddress: never looked up.
        assertThat(of("192.0.2.5", "deadbeef")).isEqualTo("192.0.2.5");
        assertThat(of("192.0.2.5", "localhost")).isEqualTo("192.0.2.5");
        assertThat(of("192.0.2.5", "1.2.3")).isEqualTo("192.0.2.5");
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        assertThat(of("::1", "2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo(of("::1", "2001:db8:1:2::1"))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(of("::1", "2001:db8:1:3::1")).isNotEqualTo(of("::1", "2001:db8:1:2::1"));
        assertThat(of("::1", "::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    }
}
