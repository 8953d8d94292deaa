package dev.countersign.identity;

import dev.countersign.common.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals that Spring Security decides outside the controllers (401, 403, sign-in throttling), in
 * the API's one error shape, for every security filter chain (the API's and the built-in issuer's).
 */
public final class SecurityProblems {

    private final JsonMapper json;

    public SecurityProblems(JsonMapper json) {
        this.json = json;
    }

    /** @param identity says where tokens come from: the built-in issuer's endpoint, or your issuer */
    public AuthenticationEntryPoint unauthorized(IdentityProperties identity) {
        String where = identity.builtInIssuer().enabled()
                ? "get one with POST /oauth2/token (the client-credentials grant, your client id and secret)"
                : "get one from your issuer, " + identity.issuerUri() + ", for the audience '" + identity.audience() + "'";
        return (request, response, failure) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "A valid bearer token is required (missing, expired, badly signed or for another audience): " + where));
        };
    }

    public AccessDeniedHandler forbidden() {
        return (request, response, failure) -> write(response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "This token may not do that"));
    }

    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        Problems.write(response, json, problem);
    }
}
