package dev.countersign.common;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Builds the one error shape of the API: RFC 9457 plus a stable machine-readable {@code code}. */
public final class Problems {

    public static final String TYPE_BASE = "https://countersign.dev/problems/";

    private Problems() {
    }

    /** Where a problem's {@code instance} points: the trace of the call that got it, as its logs name it. */
    public static final String INSTANCE_BASE = "urn:countersign:trace:";

    public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code.replace('_', '-')));
        problem.setProperty("code", code);
        // The call's trace id, also its X-Request-Id and in every log line of the call: an operator goes from the error an
        // agent reports straight to the logs (and the trace) of that call. The tracer puts it in the logging context.
        String trace = org.slf4j.MDC.get("traceId");
        if (trace != null && trace.matches("[0-9a-f]{32}")) {
            problem.setInstance(URI.create(INSTANCE_BASE + trace));
        }
        return problem;
    }

    public static ProblemDetail of(ApiProblem failure) {
        ProblemDetail problem = of(failure.status(), failure.code(), failure.getMessage());
        failure.properties().forEach(problem::setProperty);
        return problem;
    }

    /**
     * Answers a servlet response with a problem, written but neither closed nor flushed. Refusals from filters often
     * come before the request's body was read, and only a response still open when the request ends lets the
     * container add {@code Connection: close} (it will not read that body). Closing the stream, as Jackson does by
     * default, sent the response first and then dropped the connection silently, so a client that reused it for its
     * next call got no answer.
     */
    public static void write(HttpServletResponse response, JsonMapper json, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
