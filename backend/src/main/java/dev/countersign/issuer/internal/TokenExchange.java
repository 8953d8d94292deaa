package dev.countersign.issuer.internal;

import dev.countersign.common.Globs;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import dev.countersign.identity.DelegationClaims;
import dev.countersign.identity.IdentityProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;

/**
 * OAuth 2.0 Token Exchange (RFC 8693) at the built-in issuer, for delegation only: an agent (the
 * client, proving itself with its own {@code actor_token}) takes over work from the party named
 * by {@code subject_token} (a person, an agent, or an agent that was itself handed the work). The
 * token it gets names the whole chain in nested {@code act} claims and never carries more than
 * every link could do: its tools are those all the links have, narrowed further by any
 * {@code tool:} scopes asked for; it expires no later than either token it came from; the chain is
 * at most {@code max-chain} long. Anything that would widen what the chain may do is refused with
 * {@code invalid_request} and the reason. Both tokens are verified with the shared keys (any
 * instance exchanges any instance's tokens), so nothing is looked up in one instance's memory.
 */
final class TokenExchange implements AuthenticationProvider {

    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    private final JwtDecoder tokens;
    private final JwtEncoder encoder;
    private final Callers callers;
    private final IdentityProperties identity;
    private final Clock clock;

    TokenExchange(JwtDecoder tokens, JwtEncoder encoder, Callers callers, IdentityProperties identity, Clock clock) {
        this.tokens = tokens;
        this.encoder = encoder;
        this.callers = callers;
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        var request = (OAuth2TokenExchangeAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
                || client.getRegisteredClient() == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        String actorId = client.getRegisteredClient().getClientId();
        if (!ACCESS_TOKEN_TYPE.equals(request.getRequestedTokenType()) && !JWT_TOKEN_TYPE.equals(request.getRequestedTokenType())) {
            throw refused("requested_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        if (request.getActorToken() == null) {
            throw refused("Countersign exchanges tokens for delegation only: send actor_token, the acting agent's own token "
                    + "(the client's), with subject_token, the token of the party it acts for");
        }
        Jwt subject = verified(request.getSubjectToken(), "subject_token");
        Jwt actor = verified(request.getActorToken(), "actor_token");
        if (!actorId.equals(actor.getSubject()) || actor.hasClaim(DelegationClaims.ACT)) {
            throw refused("actor_token must be the client's own token (" + actorId + "), not another party's or a delegated one");
        }
        Caller.Agent acting = callers.agent(actorId).orElseThrow(() -> refused("Only a registered agent can take over work; '"
                + actorId + "' is not one"));
        if (!acting.enabled()) {
            throw refused("agent '" + actorId + "' is switched off");
        }
        List<String> audiences = new ArrayList<>(request.getAudiences());
        audiences.addAll(request.getResources());
        if (audiences.stream().anyMatch(audience -> !identity.audience().equals(audience))) {
            throw refused("audience and resource may only name this service ('" + identity.audience() + "'): a delegated token is "
                    + "for Countersign");
        }

        Caller from = callers.fromToken(subject).orElseThrow(() -> refused("subject_token names no agent or person Countersign knows"));
        List<String> chain = new ArrayList<>();
        List<List<String>> limits = new ArrayList<>();
        switch (from) {
            case Caller.Approver person -> chain.add(person.id());
            case Caller.Agent agent -> {
                if (!agent.enabled()) {
                    throw refused(agent.delegation().refusal() != null ? agent.delegation().refusal()
                            : "the chain of subject_token names an agent that is switched off");
                }
                chain.addAll(agent.chain());
                limits.add(agent.tools());
                limits.addAll(agent.delegation().limits());
            }
            case Caller.Gateway gateway -> throw refused("a gateway's token cannot be handed on");
        }
        chain.add(actorId);
        callers.refusalOf(chain).ifPresent(why -> {
            throw refused(why);
        });
        limits.add(acting.tools());

        List<String> inherited = DelegationClaims.toolScopes(subject.getClaims().get("scope"));
        Set<String> scopes = new LinkedHashSet<>(request.getScopes().isEmpty()
                ? inherited.stream().map(glob -> DelegationClaims.TOOL_SCOPE + glob).toList() : request.getScopes());
        for (String scope : request.getScopes()) {
            if (!scope.startsWith(DelegationClaims.TOOL_SCOPE) || scope.length() == DelegationClaims.TOOL_SCOPE.length()) {
                throw refused("scope '" + scope + "' is not a tool scope: ask for tools as tool:<glob>, such as tool:payments.transfer");
            }
            String glob = scope.substring(DelegationClaims.TOOL_SCOPE.length());
            if (!inherited.isEmpty() && !covers(inherited, glob)) {
                throw refused("scope '" + scope + "' is wider than subject_token's tool scopes (" + String.join(", ", inherited) + ")");
            }
            for (List<String> limit : limits) {
                if (!covers(limit, glob)) {
                    throw refused("scope '" + scope + "' is wider than the chain " + String.join(" → ", chain) + " may use (one link "
                            + "has only " + String.join(", ", limit) + "); a delegated token can only narrow");
                }
            }
        }

        Instant now = clock.instant();
        Instant expires = earliest(now.plus(identity.builtInIssuer().tokenTtl()), subject.getExpiresAt(), actor.getExpiresAt());
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", actorId);
        if (subject.hasClaim(DelegationClaims.ACT)) {
            act.put(DelegationClaims.ACT, subject.getClaims().get(DelegationClaims.ACT));
        }
        var claims = JwtClaimsSet.builder()
                .issuer(identity.builtInIssuer().issuerUri())
                .subject(subject.getSubject())
                .audience(List.of(identity.audience()))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(expires)
                .id(UUID.randomUUID().toString())
                .claim(DelegationClaims.ACT, act)
                .claim(BuiltInIssuerConfiguration.KIND_CLAIM, "agent")
                .claim("client_id", actorId);
        if (!scopes.isEmpty()) {
            claims.claim("scope", String.join(" ", scopes));
        }
        Jwt issued;
        try {
            issued = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims.build()));
        } catch (JwtException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR, "The token could not be signed", null), e);
        }
        var token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, issued.getTokenValue(), now, expires, scopes);
        return new OAuth2AccessTokenAuthenticationToken(client.getRegisteredClient(), client, token, null,
                Map.of("issued_token_type", ACCESS_TOKEN_TYPE));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenExchangeAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** Whether a tool glob asks for nothing outside these globs: some glob matches it, its stars taken as literal text. */
    static boolean covers(List<String> globs, String glob) {
        // A star of the asked glob can only be matched by a star of the allowing one (tool names have no literal stars),
        // which then matches whatever the asked star would: the asked glob is no wider.
        return globs.stream().anyMatch(allowing -> Globs.matches(allowing, glob));
    }

    private Jwt verified(String token, String parameter) {
        try {
            return tokens.decode(token);
        } catch (JwtException e) {
            throw refused(parameter + " is not a valid token of this issuer (expired, revoked, or not ours): " + e.getMessage());
        }
    }

    private static Instant earliest(Instant first, Instant... others) {
        Instant earliest = first;
        for (Instant other : others) {
            if (other != null && other.isBefore(earliest)) {
                earliest = other;
            }
        }
        return earliest;
    }

    private static OAuth2AuthenticationException refused(String reason) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, reason,
                "https://datatracker.ietf.org/doc/html/rfc8693#section-2.2.2"));
    }
}
