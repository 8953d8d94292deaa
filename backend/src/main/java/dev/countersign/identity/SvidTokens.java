package dev.countersign.identity;

import com.nimbusds.jwt.JWTParser;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Takes SPIFFE JWT-SVIDs beside the issuer's tokens: a token whose {@code sub} is a SPIFFE ID
 * ({@code spiffe://<trust domain>/<path>}) is verified with its trust domain's bundle, and only
 * with it, so one domain's key never vouches for another's workloads; an SVID of a trust domain
 * not configured is refused. As the JWT-SVID specification asks: {@code exp} required, {@code aud}
 * must name this service ({@code countersign.identity.spiffe.audience}, by default the API's
 * audience), no issuer is checked. Any other token goes to the issuer's decoder unchanged. Which
 * SPIFFE IDs are agents is registration ({@code agents[].id}), as for any token.
 */
public final class SvidTokens implements JwtDecoder {

    private static final String SCHEME = "spiffe://";

    private final JwtDecoder issuer;
    private final Map<String, JwtDecoder> domains;

    private SvidTokens(JwtDecoder issuer, Map<String, JwtDecoder> domains) {
        this.issuer = issuer;
        this.domains = domains;
    }

    /** The issuer's decoder, taking SVIDs too when trust domains are configured. */
    public static JwtDecoder around(JwtDecoder issuer, IdentityProperties identity, ResourceLoader resources, Clock clock) {
        var spiffe = identity.spiffe();
        if (spiffe.trustDomains().isEmpty()) {
            return issuer;
        }
        String audience = spiffe.audience() != null ? spiffe.audience() : identity.audience();
        Map<String, JwtDecoder> domains = new HashMap<>();
        spiffe.trustDomains().forEach((name, domain) -> {
            var bundle = new SpiffeBundle(name, resources.getResource(domain.bundle()), domain.refresh(), clock);
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(bundle)
                    .jwsAlgorithms(algorithms -> {
                        for (var algorithm : SignatureAlgorithm.values()) {
                            algorithms.add(algorithm);
                        }
                    })
                    .build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                    new JwtTimestampValidator(identity.clockSkew()),
                    new JwtClaimValidator<>("exp", exp -> exp != null),
                    TokenChecks.audienceValidator(audience),
                    new JwtClaimValidator<String>("sub", sub -> name.toLowerCase(Locale.ROOT).equals(trustDomainOf(sub)))));
            domains.put(name.toLowerCase(Locale.ROOT), decoder);
        });
        return new SvidTokens(issuer, Map.copyOf(domains));
    }

    /**
     * The issuer's decoder first: most tokens are its, and they are parsed once. Only a token it refuses is looked at
     * again, and if it names a SPIFFE ID, its trust domain's bundle decides (its refusal is the answer).
     */
    @Override
    public Jwt decode(String token) throws JwtException {
        try {
            return issuer.decode(token);
        } catch (JwtException notTheIssuers) {
            String subject;
            try {
                subject = JWTParser.parse(token).getJWTClaimsSet().getSubject();
            } catch (ParseException e) {
                throw notTheIssuers;
            }
            if (subject == null || !subject.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                throw notTheIssuers;
            }
            String domain = trustDomainOf(subject);
            JwtDecoder decoder = domain == null ? null : domains.get(domain);
            if (decoder == null) {
                throw new BadJwtException("A JWT-SVID of trust domain '" + domain + "', which is not trusted here "
                        + "(countersign.identity.spiffe.trust-domains)");
            }
            return decoder.decode(token);
        }
    }

    /** The trust domain of a SPIFFE ID, lower-cased (SPIFFE IDs' trust domains are), or null when it is none. */
    static String trustDomainOf(String spiffeId) {
        if (spiffeId == null || !spiffeId.startsWith(SCHEME)) {
            return null;
        }
        try {
            URI id = URI.create(spiffeId);
            return id.getHost() == null || id.getUserInfo() != null || id.getPort() != -1 || id.getQuery() != null
                    || id.getFragment() != null ? null : id.getHost().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
