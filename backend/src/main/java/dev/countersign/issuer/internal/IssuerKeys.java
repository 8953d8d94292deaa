package dev.countersign.issuer.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The built-in issuer's RSA keys, kept in the database so that every instance signs and verifies
 * with the same ones and a restart keeps its tokens valid. The newest key signs, and a new one is
 * made once it is older than the rotation; older keys stay for verification while tokens they
 * signed may still be alive. A token naming a key this instance has not seen yet (another
 * instance rotated) reloads the keys, at most once a second.
 */
final class IssuerKeys {

    private record Stored(RSAKey key, Instant createdAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration rotation;
    private final Duration tokenTtl;
    private volatile List<Stored> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    IssuerKeys(JdbcClient jdbc, Clock clock, Duration rotation, Duration tokenTtl) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.rotation = rotation;
        this.tokenTtl = tokenTtl;
    }

    /** For signing: exactly one key, the newest (the authorization server refuses to choose among several). */
    JWKSource<SecurityContext> signing() {
        return (selector, context) -> selector.select(new JWKSet(current()));
    }

    /** For verifying: every key still in use, reloaded when a token names one not seen yet. */
    JWKSource<SecurityContext> verifying() {
        return (selector, context) -> {
            List<JWK> found = selector.select(set());
            if (found.isEmpty() && loadedAt.isBefore(clock.instant().minusSeconds(1))) {
                load();
                found = selector.select(set());
            }
            return found;
        };
    }

    private JWKSet set() {
        if (keys.isEmpty()) {
            current();
        }
        return new JWKSet(keys.stream().map(stored -> (JWK) stored.key()).toList());
    }

    /** The signing key, made (and shared through the database) when there is none young enough. */
    synchronized RSAKey current() {
        Instant now = clock.instant();
        if (keys.isEmpty() || keys.getFirst().createdAt().plus(rotation).isBefore(now)) {
            load();
        }
        if (keys.isEmpty() || keys.getFirst().createdAt().plus(rotation).isBefore(now)) {
            make(now);
            load();
        }
        return keys.getFirst().key();
    }

    private synchronized void load() {
        Instant now = clock.instant();
        // Keys older than a rotation plus a token's life signed nothing that is still valid.
        jdbc.sql("delete from issuer_key where created_at < ?").param(Timestamp.from(now.minus(rotation).minus(tokenTtl).minus(rotation)))
                .update();
        keys = jdbc.sql("select jwk, created_at from issuer_key order by created_at desc, kid")
                .query((rs, n) -> new Stored(parse(rs.getString("jwk")), rs.getTimestamp("created_at").toInstant()))
                .list();
        loadedAt = now;
    }

    private void make(Instant now) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            // Two instances starting at once may both make one: both are kept, both verify, the newer signs.
            jdbc.sql("insert into issuer_key (kid, jwk, created_at) values (?, ?, ?)")
                    .params(key.getKeyID(), key.toJSONString(), Timestamp.from(now)).update();
        } catch (JOSEException e) {
            throw new IllegalStateException("The built-in issuer cannot make a signing key", e);
        }
    }

    private static RSAKey parse(String jwk) {
        try {
            return RSAKey.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException("An issuer key in the database cannot be read", e);
        }
    }
}
