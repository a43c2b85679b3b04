package web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.multipart.MultipartHttpServletRequest;

class UnreadUploadResolverTest {
    private final UnreadUploadResolver resolver = new UnreadUploadResolver();

    private static MockHttpServletRequest request(String method, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setServletPath(uri);
        request.setContentType("multipart/form-data; boundary=b1");
        request.setContent("--b1\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n\r\nabc\r\n--b1--\r\n"
                .getBytes(StandardCharsets.UTF_8));
        return request;
    }

    @Test
    void takesEveryPostToGenerateAndNothingElse() {
        assertThat(resolver.isMultipart(request("POST", "/generate"))).isTrue();
        MockHttpServletRequest notMultipart = request("POST", "/generate");
        notMultipart.setContentType("application/json");
        assertThat(resolver.isMultipart(notMultipart)).isTrue();
        assertThat(resolver.isMultipart(request("GET", "/generate"))).isFalse();
        assertThat(resolver.isMultipart(request("POST", "/upload"))).isFalse();
    }

    @Test
    void theResolvedRequestHasNoPartsAndItsBodyIsLeftForTheRoute() throws Exception {
        MockHttpServletRequest raw = request("POST", "/generate");
        raw.setQueryString("debug=1");
        raw.addParameter("debug", "1");
        byte[] body = raw.getContentAsByteArray();

        MultipartHttpServletRequest resolved = resolver.resolveMultipart(raw);

        assertThat(resolved.getFileMap()).isEmpty();
        assertThat(Collections.list(resolved.getParameterNames())).containsExactly("debug");
        assertThat(resolved.getInputStream().readAllBytes()).isEqualTo(body);
    }
}
