package dev.countersign.common;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the one error shape of the API: RFC 9457 plus a stable machine-readable {@code code}. */
public final class Problems {

    public static final String TYPE_BASE = "https://countersign.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code.replace('_', '-')));
        problem.setProperty("code", code);
        return problem;
    }

    public static ProblemDetail of(ApiProblem failure) {
        ProblemDetail problem = of(failure.status(), failure.code(), failure.getMessage());
        failure.properties().forEach(problem::setProperty);
        return problem;
    }
}
