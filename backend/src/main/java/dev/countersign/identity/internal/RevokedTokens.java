package dev.countersign.identity.internal;

import dev.countersign.common.Sha256;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Access tokens of the built-in issuer revoked at {@code POST /oauth2/revoke}, refused by the API
 * from then on. Kept in memory, by hash, until they would have expired anyway: the built-in
 * issuer signs with a key of its own instance, so its tokens are valid on that instance only, and
 * that is where they are revoked. (A production issuer revokes its own tokens.)
 */
final class RevokedTokens implements OAuth2TokenValidator<Jwt> {

    private final ConcurrentHashMap<String, Instant> revoked = new ConcurrentHashMap<>();
    private final Clock clock;

    RevokedTokens(Clock clock) {
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        Instant now = clock.instant();
        revoked.values().removeIf(expiry -> expiry.isBefore(now));
        return revoked.containsKey(Sha256.hex(token.getTokenValue()))
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token was revoked", null))
                : OAuth2TokenValidatorResult.success();
    }

    /** The authorization service the issuer uses, noting each access token it is told to invalidate. */
    OAuth2AuthorizationService recording(OAuth2AuthorizationService delegate) {
        return new OAuth2AuthorizationService() {
            @Override
            public void save(OAuth2Authorization authorization) {
                var access = authorization.getAccessToken();
                if (access != null && access.isInvalidated()) {
                    Instant expires = access.getToken().getExpiresAt();
                    revoked.put(Sha256.hex(access.getToken().getTokenValue()), expires != null ? expires : clock.instant().plusSeconds(86_400));
                }
                delegate.save(authorization);
            }

            @Override
            public void remove(OAuth2Authorization authorization) {
                delegate.remove(authorization);
            }

            @Override
            public OAuth2Authorization findById(String id) {
                return delegate.findById(id);
            }

            @Override
            public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
                return delegate.findByToken(token, tokenType);
            }
        };
    }
}
