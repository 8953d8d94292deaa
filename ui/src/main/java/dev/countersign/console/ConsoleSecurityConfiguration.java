package dev.countersign.console;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The human-facing side: everything not matched by the API's chain is the console. Sign-in is the
 * form on the embedded default, or the organisation's OIDC provider when one is configured (then
 * there is no password form at all). CSRF and session fixation are Vaadin's and Spring Security's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleOidcProperties.class)
class ConsoleSecurityConfiguration {

    @Bean
    @Order(10)
    SecurityFilterChain consoleSecurity(HttpSecurity http, ConsoleOidcProperties oidc, ConsolePasskeyProperties passkeys,
                                        ObjectProvider<OAuth2UserService<OidcUserRequest, OidcUser>> oidcUsers,
                                        ObjectProvider<org.springframework.security.core.context.SecurityContextHolderStrategy> strategies)
            throws Exception {
        // The console's own stylesheet is public like Vaadin's: the login page needs it before anyone signs in.
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/console.css", "/vendor/**").permitAll()
                // Ends the session and goes back to a request page (step-up): signed in or not, it can only sign someone out.
                .requestMatchers(org.springframework.http.HttpMethod.GET, SignInAgain.PATH).permitAll()
                // Passkeys (Spring Security's WebAuthn endpoints, outside Vaadin's routes): the sign-in ceremony is for
                // anyone; registering and removing one's passkeys only for the signed-in approver.
                .requestMatchers("/webauthn/authenticate/options", "/login/webauthn", "/login/webauthn.js").permitAll()
                .requestMatchers("/webauthn/register", "/webauthn/register/**").authenticated());
        if (oidc.enabled()) {
            // Signing out also ends the session at the provider (RP-initiated logout), or the next visit would sign straight back in.
            http.with(VaadinSecurityConfigurer.vaadin(),
                    vaadin -> vaadin.oauth2LoginPage("/oauth2/authorization/" + ConsoleOidcConfiguration.REGISTRATION, "{baseUrl}"));
            http.oauth2Login(login -> login.userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidcUsers.getObject()))
                    .authorizationEndpoint(authorization -> authorization.authorizationRequestResolver(new StepUpAuthorizationRequests(
                            http.getSharedObject(org.springframework.context.ApplicationContext.class).getBean(
                                    org.springframework.security.oauth2.client.registration.ClientRegistrationRepository.class)))));
        } else {
            http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class));
            if (passkeys.enabled()) {
                // The WebAuthn filters take the global strategy when they are built; Vaadin installs its own only after
                // every singleton exists, and a filter holding the old one saw nobody signed in (400 on register options).
                var vaadinStrategy = strategies.getIfUnique();
                if (vaadinStrategy != null) {
                    org.springframework.security.core.context.SecurityContextHolder.setContextHolderStrategy(vaadinStrategy);
                }
                // Register at /webauthn/register (Spring Security's page), sign in with "Sign in with a passkey" on the
                // login view. The relying party and the JDBC repositories are ConsolePasskeys' beans.
                http.webAuthn(webAuthn -> webAuthn.rpId(passkeys.rpId()).rpName(passkeys.rpName()));
            }
        }
        return http.build();
    }
}
