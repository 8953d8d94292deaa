package dev.countersign.identity.internal;

import dev.countersign.common.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/** Refusals decided outside the controllers (Spring Security's 401 and 403, the firewall, sign-in throttling), in the API's one error shape. */
final class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    AuthenticationEntryPoint unauthorized() {
        return (request, response, failure) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "A valid bearer token is required (missing, expired, badly signed or for another audience): "
                            + "get one from your issuer, e.g. POST /oauth2/token with the client-credentials grant"));
        };
    }

    AccessDeniedHandler forbidden() {
        return (request, response, failure) -> write(response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "This token may not do that"));
    }

    void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        Problems.write(response, json, problem);
    }
}
