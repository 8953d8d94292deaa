package dev.countersign.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The admin dashboard's numbers come from the requests and votes tables: what this test asks, decides and lets expire
 * shows up in them exactly (measured as the change from before to after, since other tests share the database).
 */
@EndToEndTest
class StatisticsTest extends EndToEndBase {

    @Autowired
    Statistics statistics;

    @Test
    void decisionsVotesAndExpiriesAreCountedPerRuleDayAndApprover() {
        Instant since = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        var before = statistics.since(since);
        String agent = api.token("split-agent", "split-agent-secret");
        Instant started = Instant.now();
        String approved = ask(agent, "payments.stats");
        String denied = ask(agent, "payments.stats");
        String expiring = ask(agent, "payments.refund");
        assertThat(api.vote(person("alice"), approved, "APPROVE", null).status()).isEqualTo(200);
        assertThat(api.vote(person("bob"), denied, "DENY", "not this one").status()).isEqualTo(200);
        Await.until(() -> "the refund's 2 s approval expires", Duration.ofSeconds(30),
                () -> "EXPIRED".equals(api.get(agent, "/api/v1/actions/" + expiring).body().get("status").asString()));
        Duration elapsed = Duration.between(started, Instant.now());

        var after = statistics.since(since);

        assertThat(requests(after, "stats-rule") - requests(before, "stats-rule")).isEqualTo(2);
        // Timers of other tests' short-lived requests may fire meanwhile: at least this test's expiry is counted.
        assertThat(expiries(after) - expiries(before)).isGreaterThanOrEqualTo(1);
        var times = after.timeToDecision().stream().filter(t -> t.rule().equals("stats-rule")).findFirst().orElseThrow();
        assertThat(times.decided()).isEqualTo(2);
        assertThat(times.p50()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(times.p95());
        assertThat(times.p95()).isLessThanOrEqualTo(elapsed);
        assertThat(votes(after, "alice", true) - votes(before, "alice", true)).isEqualTo(1);
        assertThat(votes(after, "bob", false) - votes(before, "bob", false)).isEqualTo(1);
    }

    private static long requests(Statistics.Summary summary, String rule) {
        return summary.requestsPerDay().stream().filter(d -> rule.equals(d.rule())).mapToLong(Statistics.RuleDay::requests).sum();
    }

    private static long expiries(Statistics.Summary summary) {
        return summary.expiriesPerDay().stream().mapToLong(Statistics.Day::count).sum();
    }

    private static long votes(Statistics.Summary summary, String approver, boolean approvals) {
        return summary.decisionsPerApprover().stream().filter(v -> v.approver().equals(approver))
                .mapToLong(v -> approvals ? v.approvals() : v.denials()).sum();
    }

    private String ask(String token, String tool) {
        var response = api.ask(token, "{\"tool\":\"" + tool + "\",\"arguments\":{\"to\":\"acct-" + UUID.randomUUID() + "\",\"amount\":\"12.00\"}}");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        assertThat(response.body().get("status").asString()).isEqualTo("PENDING");
        return response.body().get("id").asString();
    }
}
