package dev.countersign.identity.internal;

import dev.countersign.common.Problems;
import dev.countersign.identity.IdentityProperties;
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

    /** @param identity says where tokens come from: the built-in issuer's endpoint, or your issuer */
    AuthenticationEntryPoint unauthorized(IdentityProperties identity) {
        String where = identity.builtInIssuer().enabled()
                ? "get one with POST /oauth2/token (the client-credentials grant, your client id and secret)"
                : "get one from your issuer, " + identity.issuerUri() + ", for the audience '" + identity.audience() + "'";
        return (request, response, failure) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "A valid bearer token is required (missing, expired, badly signed or for another audience): " + where));
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
