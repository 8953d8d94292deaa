package dev.countersign.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.Concurrently;
import dev.countersign.EndToEndBase;
import dev.countersign.testing.PostgresTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A standing approval's uses and budget are counted race-safe on PostgreSQL: a hundred asks at
 * the same instant, each within its terms, get exactly its count (or budget) approved by it, and
 * the rest are asked of people. Nothing is approved twice, nothing is lost.
 */
@PostgresTest
class StandingApprovalOnPostgresTest extends EndToEndBase {

    private String standingAgent;

    @BeforeEach
    void token() {
        standingAgent = api.token("standing-agent", "standing-agent-secret");
    }

    @Test
    void aHundredConcurrentAsksUseExactlyItsCount() throws Exception {
        String account = given("\"uses\":25,\"expiresIn\":\"1h\"");

        List<Api.Response> answers = Concurrently.run(100, i -> ask(account, "20.00"));

        assertThat(answers).hasSize(100);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201));
        Map<String, Long> byOutcome = answers.stream().collect(Collectors.groupingBy(answer -> answer.body().get("status").asString()
                + "/" + answer.body().at("/decision/by").asString(""), Collectors.counting()));
        assertThat(byOutcome).containsExactlyInAnyOrderEntriesOf(Map.of("APPROVED/STANDING_APPROVAL", 25L, "PENDING/", 75L));
        assertThat(count("select used from standing_approval where resource_pattern = ?", account)).isEqualTo(25);
        assertThat(count("select count(*) from grant_token g join action_request r on r.id = g.request_id where r.resource = ?",
                account)).isEqualTo(26);
    }

    @Test
    void aHundredConcurrentAsksSpendExactlyItsBudget() throws Exception {
        String account = given("\"budget\":\"100.00\",\"amountAtMost\":\"30.00\",\"uses\":null,\"expiresIn\":\"1h\"");

        List<Api.Response> answers = Concurrently.run(100, i -> ask(account, "30.00"));

        assertThat(answers).hasSize(100);
        Map<String, Long> byOutcome = answers.stream().collect(Collectors.groupingBy(answer -> answer.body().get("status").asString(),
                Collectors.counting()));
        assertThat(byOutcome).containsExactlyInAnyOrderEntriesOf(Map.of("APPROVED", 3L, "PENDING", 97L));
        assertThat(jdbc.sql("select spent from standing_approval where resource_pattern = ?").param(account)
                .query(java.math.BigDecimal.class).single()).isEqualByComparingTo("90");
    }

    /** A standing approval for payments from an account of the test's own, given by alice on a first 20 EUR ask. */
    private String given(String terms) {
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        var first = ask(account, "20.00");
        assertThat(first.body().get("status").asString()).isEqualTo("PENDING");
        var given = api.post(person("alice"), "/api/v1/actions/" + first.body().get("id").asString() + "/votes",
                "{\"vote\":\"APPROVE\",\"standing\":{\"resource\":\"" + account + "\"," + terms + "}}");
        assertThat(given.status()).as(given.raw().body()).isEqualTo(200);
        assertThat(given.body().at("/decision/standingApproval").asString()).startsWith("sa_");
        return account;
    }

    private Api.Response ask(String account, String amount) {
        return api.ask(standingAgent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"" + account + "\",\"to\":\"acct-"
                + UUID.randomUUID() + "\",\"amount\":\"" + amount + "\"}}");
    }
}
