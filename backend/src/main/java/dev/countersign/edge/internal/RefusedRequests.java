package dev.countersign.edge.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import dev.countersign.common.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Spring Security's firewall refuses before any filter chain ({@code ..}, encoded slashes,
 * {@code ;} in the path) answers like every other refusal: a problem with a code, instead of a
 * redirect to the console's login page or the container's HTML error page.
 */
@Component
class RefusedRequests implements RequestRejectedHandler {

    private final JsonMapper json;

    RefusedRequests(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException refused) throws IOException {
        Problems.write(response, json, Problems.of(HttpStatus.BAD_REQUEST, "bad_request",
                "The URL contains what Countersign refuses in a path (.., encoded slashes or dots, ;): send the plain path"));
    }
}
