package dev.countersign.issuer.internal;

import dev.countersign.common.Sha256;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Access tokens of the built-in issuer revoked at {@code POST /oauth2/revoke}, refused by the API
 * from then on: at once on the instance that revoked it, within a second on the others (the
 * issuer's keys are shared through the database, so its tokens work on every instance, and so
 * must their revocation). Kept by hash, until they would have expired anyway. Checked in memory:
 * the API pays no query per call for it.
 */
final class RevokedTokens implements OAuth2TokenValidator<Jwt> {

    private final ConcurrentHashMap<String, Instant> revoked = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Instant seenUpTo = Instant.EPOCH;

    RevokedTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        return revoked.containsKey(Sha256.hex(token.getTokenValue()))
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token was revoked", null))
                : OAuth2TokenValidatorResult.success();
    }

    /** Revokes a token on every instance: written to the database, refused here at once. */
    void revoke(String token, Instant expiresAt) {
        String hash = Sha256.hex(token);
        Instant now = clock.instant();
        jdbc.sql("insert into revoked_token (token_hash, expires_at, revoked_at) select ?, ?, ? "
                        + "where not exists (select 1 from revoked_token where token_hash = ?)")
                .params(hash, Timestamp.from(expiresAt), Timestamp.from(now), hash).update();
        revoked.put(hash, expiresAt);
    }

    /** Revocations made on other instances; and forgets what has expired. */
    @Scheduled(fixedDelayString = "${countersign.identity.revocation-refresh:1s}")
    void refresh() {
        try {
            read();
        } catch (org.springframework.dao.DataAccessException unavailable) {
            // The database is away: what is known stays refused; the next refresh catches up.
        }
    }

    private void read() {
        Instant now = clock.instant();
        // A little overlap: a revocation committed late with an earlier timestamp is still read.
        Instant from = seenUpTo.minusSeconds(5);
        jdbc.sql("select token_hash, expires_at, revoked_at from revoked_token where revoked_at >= ? and expires_at > ?")
                .params(Timestamp.from(from), Timestamp.from(now))
                .query((rs, n) -> {
                    revoked.put(rs.getString("token_hash"), rs.getTimestamp("expires_at").toInstant());
                    Instant at = rs.getTimestamp("revoked_at").toInstant();
                    if (at.isAfter(seenUpTo)) {
                        seenUpTo = at;
                    }
                    return at;
                }).list();
        revoked.values().removeIf(expiry -> expiry.isBefore(now));
    }

    @Scheduled(fixedDelayString = "PT1H")
    void purge() {
        jdbc.sql("delete from revoked_token where expires_at < ?").param(Timestamp.from(clock.instant())).update();
    }
}
