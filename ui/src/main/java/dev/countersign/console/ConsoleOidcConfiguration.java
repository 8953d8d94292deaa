package dev.countersign.console;

import dev.countersign.identity.ConsoleAuthorities;
import dev.countersign.identity.IdentityProperties;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The console's OIDC sign-in, when {@code countersign.console.oidc.issuer-uri} is set. The
 * person's groups come from a configurable claim and become the same authorities form login
 * gives ({@link ConsoleAuthorities}); the approver id is the configured username claim.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${countersign.console.oidc.issuer-uri:}'.isBlank()")
class ConsoleOidcConfiguration {

    static final String REGISTRATION = "countersign";

    /** The claim that names a person: the API's, so that the console and the API count one person as one approver. */
    static String usernameClaim(ConsoleOidcProperties oidc, IdentityProperties identity) {
        if (oidc.usernameClaim() != null && !oidc.usernameClaim().isBlank() && !oidc.usernameClaim().equals(identity.usernameClaim())) {
            throw new IllegalStateException("countersign.console.oidc.username-claim (" + oidc.usernameClaim() + ") differs from "
                    + "countersign.identity.username-claim (" + identity.usernameClaim() + "): a person would be one approver in the "
                    + "console and another through the API, and could count twice toward a quorum. Set only "
                    + "countersign.identity.username-claim");
        }
        return identity.usernameClaim();
    }

    @Bean
    ClientRegistrationRepository consoleClientRegistrations(ConsoleOidcProperties oidc, IdentityProperties identity) {
        String usernameClaim = usernameClaim(oidc, identity);
        try {
            return new InMemoryClientRegistrationRepository(ClientRegistrations.fromIssuerLocation(oidc.issuerUri())
                    .registrationId(REGISTRATION)
                    .clientId(oidc.clientId())
                    .clientSecret(oidc.clientSecret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .scope(oidc.scopes())
                    .userNameAttributeName(usernameClaim)
                    .build());
        } catch (RuntimeException unreachable) {
            throw new IllegalStateException("The console's OIDC provider at " + oidc.issuerUri() + " could not be read ("
                    + unreachable.getMessage() + "). Check countersign.console.oidc.issuer-uri and that the provider is reachable", unreachable);
        }
    }

    @Bean
    OAuth2UserService<OidcUserRequest, OidcUser> consoleOidcUsers(ConsoleOidcProperties oidc, IdentityProperties identity) {
        var delegate = new OidcUserService();
        String groupsClaim = oidc.groupsClaim() == null || oidc.groupsClaim().isBlank() ? identity.groupsClaim() : oidc.groupsClaim();
        String usernameClaim = usernameClaim(oidc, identity);
        return request -> {
            OidcUser user = delegate.loadUser(request);
            var authorities = ConsoleAuthorities.of(groups(user, groupsClaim)).stream().map(SimpleGrantedAuthority::new).toList();
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), usernameClaim);
        };
    }

    static List<String> groups(OidcUser user, String claim) {
        Object value = user.getClaims().get(claim);
        if (value instanceof Collection<?> many) {
            return many.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
