package dev.countersign.identity;

import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** The checks every token passes, whichever issuer made it (an external one, or the built-in issuer). */
public final class TokenChecks {

    private TokenChecks() {
    }

    /** Audience is checked on every token, whichever issuer made it: a token for another service is not ours. */
    public static OAuth2TokenValidator<Jwt> audienceValidator(String audience) {
        return new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(audience));
    }

    /** Expiry and not-before with the configured skew (Spring's default is 60 s), and the issuer. */
    public static OAuth2TokenValidator<Jwt> timeAndIssuer(String issuer, java.time.Duration skew) {
        return org.springframework.security.oauth2.jwt.JwtValidators.createDefaultWithValidators(
                new org.springframework.security.oauth2.jwt.JwtTimestampValidator(skew),
                new org.springframework.security.oauth2.jwt.JwtIssuerValidator(issuer));
    }

    public static JwtDecoder withAudience(NimbusJwtDecoder decoder, OAuth2TokenValidator<Jwt> defaults, String audience) {
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(defaults, audienceValidator(audience)));
        return decoder;
    }
}
