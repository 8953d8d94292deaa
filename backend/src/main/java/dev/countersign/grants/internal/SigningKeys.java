package dev.countersign.grants.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.countersign.common.Ids;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * ES256 keys for grants, kept in the database so that every instance signs and verifies with
 * the same set and a restart invalidates no grant. The newest key signs; all keys not yet
 * retired are published in the JWKS, so a grant stays verifiable until it expires.
 */
@Component
class SigningKeys {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;
    private final AtomicReference<ECKey> current = new AtomicReference<>();
    private final ConcurrentHashMap<String, ECKey> byKid = new ConcurrentHashMap<>();
    private volatile JWKSet published;

    SigningKeys(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * At start the signing key and the published set are read (a first key made if there is none), so tool gateways
     * can fetch the JWKS from this instance during an outage that begins before anyone asked it for them.
     */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationStartedEvent.class)
    void loadAtStart() {
        signingKey();
        publicKeys();
    }

    ECKey signingKey() {
        ECKey key = current.get();
        if (key == null) {
            // Committed on its own before it is cached: a key must never sign while its row could still roll back.
            key = ownTransaction.execute(status -> newestOrCreate());
            current.set(key);
        }
        return key;
    }

    Optional<ECKey> byKid(String kid) {
        ECKey cached = byKid.get(kid);
        if (cached != null) {
            return Optional.of(cached);
        }
        return jdbc.sql("select jwk from signing_key where kid = ?").param(kid).query(String.class).optional()
                .map(SigningKeys::parse)
                .map(key -> {
                    byKid.put(kid, key);
                    return key;
                });
    }

    /** The published keys; while the database cannot be read, the ones last read (a tool gateway verifying grants keeps working). */
    JWKSet publicKeys() {
        try {
            List<ECKey> keys = jdbc.sql("select jwk from signing_key where retired_at is null order by created_at desc")
                    .query(String.class).list().stream().map(SigningKeys::parse).map(ECKey::toPublicJWK).toList();
            JWKSet set = new JWKSet(List.copyOf(keys));
            published = set;
            return set;
        } catch (org.springframework.dao.DataAccessException unavailable) {
            if (published == null) {
                throw unavailable;
            }
            return published;
        }
    }

    private ECKey newestOrCreate() {
        var existing = jdbc.sql("select jwk from signing_key where retired_at is null order by created_at desc limit 1")
                .query(String.class).optional();
        if (existing.isPresent()) {
            return parse(existing.get());
        }
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(Ids.random("key")).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
            jdbc.sql("insert into signing_key (kid, jwk, created_at) values (?, ?, ?)")
                    .params(key.getKeyID(), key.toJSONString(), Timestamp.from(clock.instant())).update();
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    private static ECKey parse(String jwk) {
        try {
            return ECKey.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException("stored signing key is corrupt", e);
        }
    }
}
