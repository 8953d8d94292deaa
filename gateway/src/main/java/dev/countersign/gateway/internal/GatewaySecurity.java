package dev.countersign.gateway.internal;

import dev.countersign.common.Problems;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import dev.countersign.identity.IdentityProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /mcp} takes the same bearer tokens as the API, and only agents' (a human or a gateway
 * token gets {@code 403}). Without a valid token the answer is {@code 401} with a
 * {@code WWW-Authenticate} that points at the protected-resource metadata (RFC 9728), as the MCP
 * authorization spec asks, so a client can find the issuer by itself.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurity {

    static final String METADATA = "/.well-known/oauth-protected-resource";
    /** The request attribute holding the {@link Caller} this chain authorised. */
    static final String CALLER_ATTRIBUTE = GatewaySecurity.class.getName() + ".caller";

    @Bean
    @Order(3)
    SecurityFilterChain mcpSecurity(HttpSecurity http, Callers callers, JsonMapper json, IdentityProperties identity) throws Exception {
        String issuer = identity.tokenIssuer();
        http.securityMatcher(McpEndpoint.PATH, McpEndpoint.PATH + "/**", METADATA, METADATA + "/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(METADATA, METADATA + "/**").permitAll()
                        .anyRequest().access((authentication, context) -> {
                            // Resolved once per request (it reads the agent's switch); the MCP transport takes it from here.
                            var caller = callers.from(authentication.get());
                            caller.ifPresent(resolved -> context.getRequest().setAttribute(CALLER_ATTRIBUTE, resolved));
                            return new AuthorizationDecision(caller.filter(Caller.Agent.class::isInstance).isPresent());
                        }))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens only, never cookies: nothing for a cross-site request to ride on.
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .oauth2ResourceServer(server -> server.jwt(jwt -> { })
                        // Spring Security serves the metadata (RFC 9728) under the resource's path; this says whose tokens it takes.
                        .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(resource -> resource
                                .authorizationServer(issuer)
                                .resourceName("Countersign MCP gateway")
                                .tlsClientCertificateBoundAccessTokens(false)))
                        .authenticationEntryPoint((request, response, failure) -> unauthorized(request, response, json))
                        .accessDeniedHandler((request, response, failure) -> problem(response, json, HttpStatus.FORBIDDEN, "forbidden",
                                "Only an agent's token may use the MCP gateway; human and gateway tokens may not call tools")))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, failure) -> unauthorized(request, response, json)));
        return http.build();
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response, JsonMapper json) throws IOException {
        String metadata = ServletUriComponentsBuilder.fromContextPath(request).path(METADATA + McpEndpoint.PATH).toUriString();
        boolean presented = request.getHeader("Authorization") != null;
        response.setHeader("WWW-Authenticate", "Bearer resource_metadata=\"" + metadata + "\""
                + (presented ? ", error=\"invalid_token\"" : ""));
        problem(response, json, HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required (missing, expired, "
                + "badly signed or for another audience); the protected-resource metadata at " + metadata + " names the issuer");
    }

    private static void problem(HttpServletResponse response, JsonMapper json, HttpStatus status, String code, String detail) throws IOException {
        Problems.write(response, json, Problems.of(status, code, detail));
    }
}
