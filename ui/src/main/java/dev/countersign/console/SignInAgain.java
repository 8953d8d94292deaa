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

    @GetMapping(PATH)
    String signInAgain(@RequestParam(name = "request", required = false) String requestId, HttpServletRequest request,
                       HttpServletResponse response) {
        new SecurityContextLogoutHandler().logout(request, response, SecurityContextHolder.getContext().getAuthentication());
        return "redirect:" + (requestId != null && REQUEST_ID.matcher(requestId).matches() ? "/requests/" + requestId : "/");
    }
}
