package dev.countersign.issuer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.EndToEndTest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;

/** Two instances' revocation lists on one database: a token revoked on one is refused by the other after its next refresh. */
@EndToEndTest
class RevokedTokensTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRevocationOnOneInstanceReachesTheOtherAtItsNextRefresh() {
        var here = new RevokedTokens(jdbc, Clock.systemUTC());
        var there = new RevokedTokens(jdbc, Clock.systemUTC());
        there.refresh();
        Jwt token = jwt("token-" + UUID.randomUUID());
        Jwt other = jwt("token-" + UUID.randomUUID());
        assertThat(there.validate(token).hasErrors()).isFalse();

        here.revoke(token.getTokenValue(), Instant.now().plusSeconds(600));
        assertThat(here.validate(token).hasErrors()).as("at once where it was revoked").isTrue();
        there.refresh();
        assertThat(there.validate(token).hasErrors()).as("after the other instance's refresh").isTrue();
        assertThat(there.validate(other).hasErrors()).isFalse();
        // A third instance starting later reads every revocation that has not expired.
        var later = new RevokedTokens(jdbc, Clock.systemUTC());
        later.refresh();
        assertThat(later.validate(token).hasErrors()).isTrue();
    }

    private static Jwt jwt(String value) {
        return new Jwt(value, Instant.now(), Instant.now().plusSeconds(600), Map.of("alg", "RS256"), Map.of("sub", "billing-agent"));
    }
}
