package cn.eport.web;

import java.io.IOException;
import java.net.URI;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Problem type URIs and the few problems written outside Spring MVC (by filters and security). */
public final class Problems {

    public static final URI INVALID_INPUT = URI.create("https://eport.cn/problems/invalid-input");
    public static final URI MALFORMED_BODY = URI.create("https://eport.cn/problems/malformed-body");
    public static final URI UNAUTHENTICATED = URI.create("https://eport.cn/problems/unauthenticated");
    public static final URI FORBIDDEN = URI.create("https://eport.cn/problems/forbidden");
    public static final URI NOT_FOUND = URI.create("https://eport.cn/problems/not-found");
    public static final URI CONFLICT = URI.create("https://eport.cn/problems/conflict");
    public static final URI TOO_LARGE = URI.create("https://eport.cn/problems/request-too-large");

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, URI type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        return problem;
    }

    /** Writes a problem without Spring MVC's message converters: for filters and security handlers. */
    static void write(HttpServletResponse response, HttpStatus status, URI type, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"" + type + "\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}");
    }
}
