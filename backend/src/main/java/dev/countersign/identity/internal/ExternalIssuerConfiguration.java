package dev.countersign.identity.internal;

import dev.countersign.identity.IdentityProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Production: tokens from the organisation's issuer (OIDC client credentials for agents,
 * SPIFFE JWT-SVIDs, the IdP for humans), configured with
 * {@code countersign.identity.issuer-uri} and {@code countersign.identity.jwk-set-uri}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "countersign.identity.built-in-issuer", name = "enabled", havingValue = "false")
class ExternalIssuerConfiguration {

    @Bean
    JwtDecoder jwtDecoder(IdentityProperties identity, org.springframework.core.io.ResourceLoader resources, java.time.Clock clock) {
        if (identity.issuerUri() == null || identity.jwkSetUri() == null) {
            throw new IllegalStateException("With the built-in issuer off, set countersign.identity.issuer-uri and "
                    + "countersign.identity.jwk-set-uri (env COUNTERSIGN_IDENTITY_ISSUER_URI, COUNTERSIGN_IDENTITY_JWK_SET_URI)");
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(identity.jwkSetUri()).build();
        return dev.countersign.identity.SvidTokens.around(dev.countersign.identity.TokenChecks.withAudience(decoder,
                dev.countersign.identity.TokenChecks.timeAndIssuer(identity.issuerUri(), identity.clockSkew()), identity.audience()),
                identity, resources, clock);
    }
}
