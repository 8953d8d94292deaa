package dev.countersign.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.regex.Pattern;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * "Sign in again" for a step-up rule: ends this session in a plain HTTP request (not inside a Vaadin round trip, which
 * the ended session could not answer) and sends the browser to the request, whose view sends it through the sign-in
 * and back (Vaadin keeps where it was going). Only a request page is a destination, so this is no open redirect.
 */
@Controller
class SignInAgain {

    static final String PATH = "/sign-in-again";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ConsoleOidcProperties oidc;

    SignInAgain(ConsoleOidcProperties oidc) {
        this.oidc = oidc;
    }

    @GetMapping(PATH)
    String signInAgain(@RequestParam(name = "request", required = false) String requestId, HttpServletRequest request,
                       HttpServletResponse response) {
        new SecurityContextLogoutHandler().logout(request, response, SecurityContextHolder.getContext().getAuthentication());
        String back = requestId != null && REQUEST_ID.matcher(requestId).matches() ? "/requests/" + requestId : "/";
        if (!oidc.enabled()) {
            return "redirect:" + back;
        }
        // Straight to the provider with max_age=0 (StepUpAuthorizationRequests), the request page saved for after it.
        new org.springframework.security.web.savedrequest.HttpSessionRequestCache().saveRequest(new Destination(request, back), response);
        return "redirect:/oauth2/authorization/" + ConsoleOidcConfiguration.REGISTRATION + "?" + StepUpAuthorizationRequests.PARAMETER;
    }

    /** This request, as if it had been a plain GET of the page to come back to: what the request cache remembers. */
    private static final class Destination extends jakarta.servlet.http.HttpServletRequestWrapper {

        private final String path;

        Destination(HttpServletRequest request, String path) {
            super(request);
            this.path = path;
        }

        @Override
        public String getRequestURI() {
            return getContextPath() + path;
        }

        @Override
        public StringBuffer getRequestURL() {
            return new StringBuffer(getScheme() + "://" + getServerName() + ":" + getServerPort() + getRequestURI());
        }

        @Override
        public String getServletPath() {
            return path;
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public java.util.Map<String, String[]> getParameterMap() {
            return java.util.Map.of();
        }

        @Override
        public String getMethod() {
            return "GET";
        }
    }
}
