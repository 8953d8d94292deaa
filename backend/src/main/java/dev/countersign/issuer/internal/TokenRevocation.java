package dev.countersign.issuer.internal;

import java.time.Clock;
import java.time.Instant;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;

/**
 * {@code POST /oauth2/revoke} for the built-in issuer's access tokens, on whichever instance it
 * arrives: the token is verified with the shared keys (not looked up in one instance's memory),
 * and a client revokes only its own tokens (RFC 7009; anything else is answered {@code 200} and
 * changes nothing, so tokens cannot be probed).
 */
final class TokenRevocation implements AuthenticationProvider {

    private final JwtDecoder tokens;
    private final RevokedTokens revoked;
    private final Clock clock;

    TokenRevocation(JwtDecoder tokens, RevokedTokens revoked, Clock clock) {
        this.tokens = tokens;
        this.revoked = revoked;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        var request = (OAuth2TokenRevocationAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
                || client.getRegisteredClient() == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        String token = request.getToken();
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(1);
        try {
            Jwt jwt = tokens.decode(token);
            // A delegated token is the acting agent's (the outermost act), not its root's.
            var actors = dev.countersign.identity.DelegationClaims.actors(jwt.getClaims().get(dev.countersign.identity.DelegationClaims.ACT));
            String holder = actors.isEmpty() ? jwt.getSubject() : actors.getFirst();
            if (client.getRegisteredClient().getClientId().equals(holder) && jwt.getExpiresAt() != null) {
                revoked.revoke(token, jwt.getExpiresAt());
                expires = jwt.getExpiresAt();
            }
        } catch (JwtException notOurs) {
            // Unknown, expired or already revoked: nothing to do (RFC 7009 answers 200 all the same).
        }
        return new OAuth2TokenRevocationAuthenticationToken(
                new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, now.minusSeconds(1), expires.isAfter(now) ? expires : now.plusSeconds(1)),
                client);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenRevocationAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
