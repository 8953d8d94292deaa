package dev.countersign.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * A sign-in for step-up ({@code ?step-up} on the authorization URL, which "Sign in again" uses) asks the provider to
 * authenticate the person now: {@code max_age=0} and {@code prompt=login} (OpenID Connect Core 3.1.2.1), so its SSO
 * session cannot answer for them, and the ID token must then carry {@code auth_time}.
 */
class StepUpAuthorizationRequests implements OAuth2AuthorizationRequestResolver {

    static final String PARAMETER = "step-up";

    private final OAuth2AuthorizationRequestResolver defaults;

    StepUpAuthorizationRequests(ClientRegistrationRepository registrations) {
        this.defaults = new DefaultOAuth2AuthorizationRequestResolver(registrations,
                OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
        return stepUp(request, defaults.resolve(request));
    }

    @Override
    public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
        return stepUp(request, defaults.resolve(request, registrationId));
    }

    private static OAuth2AuthorizationRequest stepUp(HttpServletRequest request, OAuth2AuthorizationRequest resolved) {
        if (resolved == null || request.getParameter(PARAMETER) == null) {
            return resolved;
        }
        return OAuth2AuthorizationRequest.from(resolved)
                .additionalParameters(parameters -> parameters.putAll(Map.of("max_age", "0", "prompt", "login"))).build();
    }
}
