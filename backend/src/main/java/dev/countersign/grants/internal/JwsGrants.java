package dev.countersign.grants.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.countersign.common.Ids;
import dev.countersign.grants.Grant;
import dev.countersign.grants.GrantProperties;
import dev.countersign.grants.GrantSubject;
import dev.countersign.grants.Grants;
import dev.countersign.audit.AuditLog;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues the grant of an approved request, at most one per request (a unique key), in the
 * deciding transaction: the grant exists exactly when the approval committed, and the waiting
 * agent finds it with the decision.
 */
@Component
@EnableConfigurationProperties(GrantProperties.class)
class JwsGrants implements Grants {

    static final JOSEObjectType GRANT_TYPE = new JOSEObjectType("countersign-grant+jwt");

    private final JdbcClient jdbc;
    private final SigningKeys keys;
    private final GrantProperties properties;
    private final AuditLog audit;
    private final Clock clock;
    /**
     * One signer per signing key, with one source of randomness: a signer built per grant converted the JWK into a Java
     * key and seeded a new SecureRandom every time, about a sixth of the signature's cost (JFR, allowed asks). Nimbus'
     * signers are thread-safe, and so is SecureRandom.
     */
    private final Map<String, ECDSASigner> signers = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    JwsGrants(JdbcClient jdbc, SigningKeys keys, GrantProperties properties, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    /** In the caller's transaction on purpose: the deciding one, which fails whole if the grant cannot be issued. */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Grant issue(GrantSubject subject) {
        var grant = sign(subject);
        audit.record("grant.issued", "countersign", subject.requestId(), Map.of("jti", grant.jti(), "expiresAt", grant.expiresAt().toString()));
        return new Grant(grant.token(), grant.expiresAt());
    }

    private IssuedGrant sign(GrantSubject subject) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(properties.ttl());
        if (subject.holdUntil() != null && subject.holdUntil().isAfter(expires)) {
            // Held until the agent calls again: the grant lasts as long as the approval would have waited.
            expires = subject.holdUntil().truncatedTo(ChronoUnit.SECONDS);
        }
        String jti = Ids.random("grt");
        var key = keys.signingKey();
        var built = new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .subject(subject.agent())
                .audience(subject.tool())
                .jwtID(jti)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .claim(GrantClaims.REQUEST, subject.requestId())
                .claim(GrantClaims.ACTION_HASH, subject.actionHash());
        if (subject.delegated()) {
            built.claim(GrantClaims.CHAIN, subject.chainAgents());
        }
        var claims = built.build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(GRANT_TYPE).build(), claims);
        try {
            jwt.sign(signers.computeIfAbsent(key.getKeyID(), kid -> signer(key)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign grant", e);
        }
        String token = CanonicalSignature.normalised(jwt.serialize());
        // request_id is unique: a second issue for the same request fails the whole approval transaction.
        jdbc.sql("""
                insert into grant_token (jti, request_id, agent_id, tool, action_hash, token, issued_at, expires_at, chain_agents)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(jti, subject.requestId(), subject.agent(), subject.tool(), subject.actionHash(), token,
                        Timestamp.from(now), Timestamp.from(expires),
                        subject.delegated() ? dev.countersign.common.IdList.encode(subject.chainAgents()) : null)
                .update();
        return new IssuedGrant(jti, token, expires);
    }

    private ECDSASigner signer(ECKey key) {
        try {
            var signer = new ECDSASigner(key);
            signer.getJCAContext().setSecureRandom(random);
            return signer;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyID(), e);
        }
    }

    @Override
    public Optional<Grant> of(String requestId) {
        return jdbc.sql("select token, expires_at from grant_token where request_id = ?").param(requestId)
                .query((rs, n) -> new Grant(rs.getString("token"), rs.getTimestamp("expires_at").toInstant()))
                .optional();
    }

    @Override
    public boolean ranOrCanRun(String requestId, Instant now) {
        return jdbc.sql("select count(*) from grant_token where request_id = ? and (redeemed_at is not null "
                        + "or (revoked_at is null and expires_at > ?))").params(requestId, java.sql.Timestamp.from(now))
                .query(Long.class).single() > 0;
    }

    @Override
    public void forget(java.util.Collection<String> requestIds) {
        jdbc.sql("delete from grant_token where request_id in (:ids)").param("ids", requestIds).update();
    }
}
