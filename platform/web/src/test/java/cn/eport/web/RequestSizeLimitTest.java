package cn.eport.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestSizeLimitTest {

    private static final int LIMIT = 1024;

    private final RequestSizeLimit filter = new RequestSizeLimit(LIMIT);
    private final List<String> bodiesPassedOn = new ArrayList<>();

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedUnread() throws Exception {
        MockHttpServletResponse response = send(new MockHttpServletRequest("POST", "/api/applications"), "x".repeat(LIMIT + 1));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("https://eport.cn/problems/request-too-large");
        assertThat(bodiesPassedOn).isEmpty();
    }

    @Test
    void aChunkedBodyLargerThanTheLimitIsRefused() throws Exception {
        MockHttpServletResponse response = send(new Chunked("POST"), "x".repeat(LIMIT + 1));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(bodiesPassedOn).isEmpty();
    }

    @Test
    void aChunkedBodyWithinTheLimitIsPassedOnWhole() throws Exception {
        String body = "{\"address\":\"福州市鼓楼区" + "x".repeat(LIMIT - 100) + "\"}";

        MockHttpServletResponse response = send(new Chunked("PUT"), body);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(bodiesPassedOn).containsExactly(body);
    }

    @Test
    void aRequestWithoutABodyPassesUntouched() throws Exception {
        MockHttpServletResponse response = send(new Chunked("GET"), "");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(bodiesPassedOn).containsExactly("");
    }

    private MockHttpServletResponse send(MockHttpServletRequest request, String body) throws Exception {
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setCharacterEncoding("UTF-8");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (ServletRequest passed, ServletResponse ignored) ->
                bodiesPassedOn.add(new String(passed.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
        return response;
    }

    /** A request whose body does not declare its length, as with Transfer-Encoding: chunked. */
    private static final class Chunked extends MockHttpServletRequest {

        Chunked(String method) {
            super(method, "/api/applications");
            addHeader("Transfer-Encoding", "chunked");
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }
    }
}
