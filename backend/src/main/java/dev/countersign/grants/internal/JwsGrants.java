package dev.countersign.grants.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.countersign.common.Ids;
import dev.countersign.grants.GrantProperties;
import dev.countersign.grants.Grants;
import dev.countersign.grants.IssuedGrant;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Component
@EnableConfigurationProperties(GrantProperties.class)
class JwsGrants implements Grants {

    static final JOSEObjectType GRANT_TYPE = new JOSEObjectType("countersign-grant+jwt");

    private final JdbcClient jdbc;
    private final SigningKeys keys;
    private final GrantProperties properties;
    private final Clock clock;

    JwsGrants(JdbcClient jdbc, SigningKeys keys, GrantProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public IssuedGrant issue(GrantSubject subject) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(properties.ttl());
        String jti = Ids.random("grt");
        var key = keys.signingKey();
        var claims = new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .subject(subject.agent())
                .audience(subject.tool())
                .jwtID(jti)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .claim(GrantClaims.REQUEST, subject.requestId())
                .claim(GrantClaims.ACTION_HASH, subject.actionHash())
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(GRANT_TYPE).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign grant", e);
        }
        String token = jwt.serialize();
        // request_id is unique: a second issue for the same request fails the whole approval transaction.
        jdbc.sql("""
                insert into grant_token (jti, request_id, agent_id, tool, action_hash, token, issued_at, expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(jti, subject.requestId(), subject.agent(), subject.tool(), subject.actionHash(), token,
                        Timestamp.from(now), Timestamp.from(expires))
                .update();
        return new IssuedGrant(jti, token, expires, null);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<IssuedGrant> forRequest(String requestId) {
        return jdbc.sql("select jti, token, expires_at, redeemed_at from grant_token where request_id = ?").param(requestId)
                .query((rs, n) -> new IssuedGrant(rs.getString("jti"), rs.getString("token"),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("redeemed_at") == null ? null : rs.getTimestamp("redeemed_at").toInstant()))
                .optional();
    }
}
