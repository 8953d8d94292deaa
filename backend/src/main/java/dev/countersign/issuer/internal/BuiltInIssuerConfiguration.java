package dev.countersign.issuer.internal;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.countersign.identity.IdentityProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded default's own OAuth2 issuer, so that a newcomer gets a token with one curl:
 * client-credentials at {@code POST /oauth2/token} for every configured agent, approver and
 * gateway. Off in production ({@code countersign.identity.built-in-issuer.enabled=false}),
 * where tokens come from the organisation's issuers.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "countersign.identity.built-in-issuer", name = "enabled", havingValue = "true", matchIfMissing = true)
class BuiltInIssuerConfiguration {

    static final String KIND_CLAIM = "countersign_kind";

    @Bean
    @Order(1)
    SecurityFilterChain builtInIssuer(HttpSecurity http, JsonMapper json, JwtDecoder tokens, RevokedTokens revoked, java.time.Clock clock,
                                      IdentityProperties identity, IssuerKeys keys, dev.countersign.identity.Callers callers) throws Exception {
        var exchange = new TokenExchange(tokens, new org.springframework.security.oauth2.jwt.NimbusJwtEncoder(keys.signing()), callers, identity,
                clock);
        var problems = new dev.countersign.identity.SecurityProblems(json);
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    // Any instance revokes any of the issuer's tokens (they are verified with the shared keys), for every instance.
                    server.tokenRevocationEndpoint(endpoint -> endpoint.authenticationProviders(
                            providers -> providers.addFirst(new TokenRevocation(tokens, revoked, clock))));
                    // Delegation by token exchange, verified with the shared keys (TokenExchange), in place of the default
                    // provider, which looks tokens up in this instance's memory (and, tried after a refusal of ours,
                    // would answer invalid_grant for it).
                    server.tokenEndpoint(endpoint -> endpoint.authenticationProviders(providers -> {
                        providers.removeIf(org.springframework.security.oauth2.server.authorization.authentication
                                .OAuth2TokenExchangeAuthenticationProvider.class::isInstance);
                        providers.addFirst(exchange);
                    }));
                    // Off: any client could read any other client's token there; resource servers check tokens with the JWKS.
                    // Advertise what works here: client credentials and token exchange (delegation) at the token endpoint,
                    // revocation and the JWKS. Authorization code, device code, introspection and DPoP are not offered, and a
                    // client that followed the metadata to them failed.
                    server.authorizationServerMetadataEndpoint(endpoint -> endpoint.authorizationServerMetadataCustomizer(metadata -> metadata
                            .grantTypes(grants -> {
                                grants.clear();
                                grants.add("client_credentials");
                                grants.add(AuthorizationGrantType.TOKEN_EXCHANGE.getValue());
                            })
                            .claims(claims -> List.of("introspection_endpoint", "introspection_endpoint_auth_methods_supported",
                                    "device_authorization_endpoint", "pushed_authorization_request_endpoint", "dpop_signing_alg_values_supported",
                                    "code_challenge_methods_supported", "tls_client_certificate_bound_access_tokens")
                                    .forEach(claims::remove))));
                    server.tokenIntrospectionEndpoint(endpoint -> endpoint.introspectionRequestConverter(request -> {
                        throw new org.springframework.security.oauth2.core.OAuth2AuthenticationException(
                                new org.springframework.security.oauth2.core.OAuth2Error("invalid_request",
                                        "Token introspection is off; validate tokens with the issuer's JWKS (/oauth2/jwks)", null));
                    }));
                })
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems.unauthorized(identity)));
        return http.build();
    }

    @Bean
    RegisteredClientRepository registeredClients(IdentityProperties identity) {
        TokenSettings tokens = TokenSettings.builder().accessTokenTimeToLive(identity.builtInIssuer().tokenTtl()).build();
        List<RegisteredClient> clients = new ArrayList<>();
        // Only parties with a secret are clients here: one registered without (an agent that proves itself with a SPIFFE
        // JWT-SVID, an approver who signs in through your provider) would otherwise take the password "null".
        identity.agents().stream().filter(a -> hasSecret(a.secret())).forEach(a -> clients.add(client(a.id(), a.secret(), tokens, true)));
        identity.approvers().stream().filter(a -> hasSecret(a.secret())).forEach(a -> clients.add(client(a.id(), a.secret(), tokens, false)));
        identity.gateways().stream().filter(g -> hasSecret(g.secret())).forEach(g -> clients.add(client(g.id(), g.secret(), tokens, false)));
        identity.scrapers().stream().filter(s -> hasSecret(s.secret())).forEach(s -> clients.add(client(s.id(), s.secret(), tokens, false)));
        return new InMemoryRegisteredClientRepository(clients);
    }

    private static boolean hasSecret(String secret) {
        return secret != null && !secret.isBlank();
    }

    /** Agents may also exchange tokens: take over work another party handed them (TokenExchange). */
    private static RegisteredClient client(String id, String secret, TokenSettings tokens, boolean agent) {
        var client = RegisteredClient.withId(UUID.nameUUIDFromBytes(id.getBytes()).toString())
                .clientId(id)
                // The secret is configuration already held in plain text; hashing it here would add no protection.
                .clientSecret("{noop}" + secret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenSettings(tokens);
        if (agent) {
            client.authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE);
        }
        return client.build();
    }

    /** Our audience on every token, and for approvers their groups and e-mail, as an OIDC issuer would. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> countersignClaims(IdentityProperties identity) {
        return context -> {
            String client = context.getRegisteredClient().getClientId();
            context.getClaims().audience(List.of(identity.audience()));
            identity.approvers().stream().filter(a -> a.id().equals(client)).findFirst().ifPresentOrElse(approver -> {
                context.getClaims().claim(identity.groupsClaim(), List.copyOf(approver.groups()));
                if (approver.email() != null) {
                    context.getClaims().claim("email", approver.email());
                }
                context.getClaims().claim(KIND_CLAIM, "human");
            }, () -> context.getClaims().claim(KIND_CLAIM,
                    identity.agents().stream().anyMatch(a -> a.id().equals(client)) ? "agent" : "gateway"));
        };
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties identity) {
        return AuthorizationServerSettings.builder().issuer(identity.builtInIssuer().issuerUri()).build();
    }

    @Bean
    IssuerKeys issuerKeyStore(JdbcClient jdbc, java.time.Clock clock, IdentityProperties identity) {
        return new IssuerKeys(jdbc, clock, identity.builtInIssuer().keyRotation(), identity.builtInIssuer().tokenTtl());
    }

    /** Signs with the newest of the keys every instance shares (the database holds them), so tokens outlive an instance. */
    @Bean
    JWKSource<SecurityContext> issuerKeys(IssuerKeys keys) {
        return keys.signing();
    }

    @Bean
    RevokedTokens revokedTokens(JdbcClient jdbc, java.time.Clock clock) {
        return new RevokedTokens(jdbc, clock);
    }

    /** Validates our own tokens in-process with every key still in use: no HTTP round trip to ourselves; revoked ones are refused. */
    @Bean
    JwtDecoder jwtDecoder(IssuerKeys keys, IdentityProperties identity, RevokedTokens revoked,
                          org.springframework.core.io.ResourceLoader resources, java.time.Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys.verifying()).build();
        // SPIFFE JWT-SVIDs too, when trust domains are configured (SvidTokens): workloads prove what they are without a secret.
        return dev.countersign.identity.SvidTokens.around(dev.countersign.identity.TokenChecks.withAudience(decoder,
                new org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator<>(
                        dev.countersign.identity.TokenChecks.timeAndIssuer(identity.builtInIssuer().issuerUri(), identity.clockSkew()), revoked),
                identity.audience()), identity, resources, clock);
    }
}
