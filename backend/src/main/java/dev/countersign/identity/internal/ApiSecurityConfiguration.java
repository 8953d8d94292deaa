package dev.countersign.identity.internal;

import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import java.util.ArrayList;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import dev.countersign.identity.IdentityProperties;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * The machine-facing side: {@code /api/**} is a stateless OAuth2 resource server. Signature,
 * expiry, issuer and audience are checked on every call; what a caller may do is decided by
 * the feature that handles the call, from its {@link dev.countersign.identity.Caller}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
class ApiSecurityConfiguration {

    /** Roles of the actuator only; what a caller may do elsewhere is decided from its {@link Caller}. */
    static final String ADMIN = "COUNTERSIGN_ADMIN";
    static final String METRICS = "COUNTERSIGN_METRICS";

    /** The token's scopes, plus {@code ROLE_COUNTERSIGN_ADMIN} for an admin and {@code ROLE_COUNTERSIGN_METRICS} for a scraper. */
    private static JwtAuthenticationConverter roles(Callers callers) {
        var scopes = new JwtGrantedAuthoritiesConverter();
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            List<GrantedAuthority> authorities = new ArrayList<>(scopes.convert(jwt));
            if (callers.isScraper(jwt)) {
                authorities.add(new SimpleGrantedAuthority("ROLE_" + METRICS));
            } else if (callers.isAdmin(jwt)) {
                authorities.add(new SimpleGrantedAuthority("ROLE_" + ADMIN));
            }
            return authorities;
        });
        return converter;
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http, JsonMapper json, Callers callers, IdentityProperties identity) throws Exception {
        var problems = new dev.countersign.identity.SecurityProblems(json);
        http.securityMatcher("/api/**", "/.well-known/jwks.json", "/actuator/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/.well-known/jwks.json", "/actuator/health/**", "/actuator/health", "/v3/api-docs/**", "/swagger-ui/**",
                                "/swagger-ui.html").permitAll()
                        // Health is for load balancers (its components and details for admins only: management.endpoint.health.roles);
                        // metrics for admins and configured scrapers; the rest of the actuator (build, configuration) for admins.
                        .requestMatchers("/actuator/prometheus").hasAnyRole(ADMIN, METRICS)
                        .requestMatchers("/actuator/**").hasRole(ADMIN)
                        .anyRequest().authenticated())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(roles(callers)))
                        .authenticationEntryPoint(problems.unauthorized(identity))
                        .accessDeniedHandler(problems.forbidden()))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(problems.unauthorized(identity))
                        .accessDeniedHandler(problems.forbidden()));
        return http.build();
    }
}
