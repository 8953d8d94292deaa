package dev.countersign.actions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.EndToEndBase;
import dev.countersign.testing.Await;
import dev.countersign.testing.MutableClock;
import dev.countersign.testing.MutableClockConfiguration;
import dev.countersign.testing.PostgresTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Asking again cannot reach approvers who just said no, and asking twice never asks them twice. */
@PostgresTest
@Import(MutableClockConfiguration.class)
class CooldownAndCoalescingOnPostgresTest extends EndToEndBase {

    @Autowired
    MutableClock clock;
    @Autowired
    IdempotencyKeyPurge purge;

    String alice;

    @BeforeEach
    void tokens() {
        alice = api.token("alice", "alice");
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void sameActionWhilePendingIsCoalescedOntoTheOneApproval() {
        String body = payment();
        var first = api.ask(agent, body);
        var second = api.ask(agent, body.replace("Pay invoice INV-2291", "Retrying after a timeout"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Coalesced")).isEqualTo("true");
        assertThat(second.body().get("id").asString()).isEqualTo(first.body().get("id").asString());
        assertThat(second.body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void deniedActionIsDeniedAgainAtOnceUntilTheCooldownEnds() throws Exception {
        String body = payment();
        String first = api.ask(agent, body).body().get("id").asString();
        assertThat(api.vote(alice, first, "DENY", "vendor unknown").body().get("status").asString()).isEqualTo("DENIED");

        clock.advance(Duration.ofMinutes(15).minusSeconds(2));
        var inside = api.ask(agent, body);
        assertThat(inside.status()).isEqualTo(201);
        assertThat(inside.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(inside.body().at("/decision/reasonCode").asString()).isEqualTo("recently_denied");
        assertThat(inside.body().at("/decision/by").asString()).isEqualTo("POLICY");
        String refusedAgain = inside.body().get("id").asString();
        Await.holds("approvers are not asked about " + refusedAgain, Duration.ofMillis(500), () -> processes.started(refusedAgain) == 0
                && count("select count(*) from approval_notice where request_id = ?", refusedAgain) == 0);

        clock.advance(Duration.ofSeconds(4));
        var outside = api.ask(agent, body);
        assertThat(outside.status()).isEqualTo(201);
        assertThat(outside.body().get("status").asString()).as("the cool-down counts from the human denial, not from refusals since")
                .isEqualTo("PENDING");
    }

    @Test
    void expiredActionIsAlsoCooledDown() {
        String body = "{\"tool\":\"payments.refund\",\"arguments\":{\"order\":\"" + UUID.randomUUID() + "\"}}";
        String first = api.ask(agent, body).body().get("id").asString();
        assertThat(api.get(agent, "/api/v1/actions/" + first + "?wait=20").body().get("status").asString()).isEqualTo("EXPIRED");

        var again = api.ask(agent, body);
        assertThat(again.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(again.body().at("/decision/reasonCode").asString()).isEqualTo("recently_denied");
    }

    @Test
    void anIdenticalAskSoonAfterPeopleApprovedItJoinsThatApprovalAndARepeatAsksAnew() {
        String body = payment().replace("1250.00", "10.00");
        String first = api.ask(agent, body).body().get("id").asString();
        assertThat(api.vote(alice, first, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
        String grant = api.get(agent, "/api/v1/actions/" + first).body().at("/grant/token").asString();

        // The agent gave up waiting and asks again with a new key: the approved request and its one grant, nobody asked twice.
        var again = api.ask(agent, body);
        assertThat(again.status()).as(again.raw().body()).isEqualTo(200);
        assertThat(again.header("Coalesced")).isEqualTo("true");
        assertThat(again.body().get("id").asString()).isEqualTo(first);
        assertThat(again.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(again.body().at("/grant/token").asString()).isEqualTo(grant);

        // Meaning to do it once more is said: a new request for approvers.
        var repeat = api.ask(agent, body.replaceFirst("\\{", "{\"repeat\":true,"));
        assertThat(repeat.status()).as(repeat.raw().body()).isEqualTo(201);
        assertThat(repeat.body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void anApprovalWhoseGrantLapsedUnusedIsNotJoined() {
        String body = payment().replace("1250.00", "12.00");
        String first = api.ask(agent, body).body().get("id").asString();
        api.vote(alice, first, "APPROVE", null);

        // Within the replay window, but past the grant's 5 minutes, never redeemed: that approval can run nothing any more.
        clock.advance(Duration.ofMinutes(6));
        var later = api.ask(agent, body);
        assertThat(later.status()).as(later.raw().body()).isEqualTo(201);
        assertThat(later.body().get("id").asString()).isNotEqualTo(first);
        assertThat(later.body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void anApprovedActionIsAskedAnewOnceTheReplayWindowHasPassed() {
        String body = payment().replace("1250.00", "11.00");
        String first = api.ask(agent, body).body().get("id").asString();
        api.vote(alice, first, "APPROVE", null);

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        var later = api.ask(agent, body);
        assertThat(later.status()).isEqualTo(201);
        assertThat(later.body().get("status").asString()).as("approved actions are not cooled down either").isEqualTo("PENDING");
    }

    @Test
    void idempotencyKeysAreKeptADayThenPurged() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = payment();
        String id = api.ask(agent, key, body).body().get("id").asString();

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(purge()).isZero();
        assertThat(api.ask(agent, key, body).header("Idempotent-Replayed")).isEqualTo("true");

        clock.advance(Duration.ofMinutes(2));
        assertThat(purge()).isGreaterThanOrEqualTo(1);
        assertThat(count("select count(*) from idempotency_key where request_id = ?", id)).isZero();
    }

    private int purge() {
        return this.purge.purge();
    }

    private static String payment() {
        return Api.largePayment().replace("acct-vendor-17", "acct-" + UUID.randomUUID());
    }
}
