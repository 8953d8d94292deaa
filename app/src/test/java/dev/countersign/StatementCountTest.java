package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.StatementCounting;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

/**
 * How many SQL statements the two hottest calls run on their request thread: an allowed ask and
 * a deciding vote. The budgets are today's counts (docs/benchmarks.md lists the statements): a
 * change that adds one fails here and must say why; one that saves some lowers the budget.
 */
@EndToEndTest
@Import(StatementCounting.class)
class StatementCountTest extends EndToEndBase {

    static final int ALLOWED_ASK = 6;
    static final int DECIDING_VOTE = 9;
    /** A replay: the agent's switch, the look-up, the request, its votes; reads only, and no transaction. */
    static final int REPLAY = 4;

    private Api.Response counted(String token, String path, String body, String key) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header(StatementCounting.HEADER, "yes").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return api.send(request);
    }

    @Test
    void anAllowedAskAndADecidingVoteStayWithinTheirStatementBudgets() {
        // Warm: the first calls of a context read keys and documents once.
        api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"path\":\"/warm-" + UUID.randomUUID() + "\"}}");

        var ask = counted(agent, "/api/v1/actions", "{\"tool\":\"docs.read\",\"arguments\":{\"path\":\"/" + UUID.randomUUID() + "\"}}",
                UUID.randomUUID().toString());
        assertThat(ask.status()).isEqualTo(201);
        List<String> askStatements = StatementCounting.lastRequest();
        System.out.println("Allowed ask: " + askStatements.size() + " statements\n  " + String.join("\n  ", askStatements));

        String small = "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"50.00\"}}";
        String id = api.ask(agent, small).body().get("id").asString();
        var vote = counted(person("alice"), "/api/v1/actions/" + id + "/votes", "{\"vote\":\"APPROVE\"}", null);
        assertThat(vote.status()).as(vote.raw().body()).isEqualTo(200);
        assertThat(vote.body().get("status").asString()).isEqualTo("APPROVED");
        List<String> voteStatements = StatementCounting.lastRequest();
        System.out.println("Deciding vote: " + voteStatements.size() + " statements\n  " + String.join("\n  ", voteStatements));

        assertThat(askStatements).as("an allowed ask's statements").isNotEmpty().hasSizeLessThanOrEqualTo(ALLOWED_ASK);
        assertThat(voteStatements).as("a deciding vote's statements").isNotEmpty().hasSizeLessThanOrEqualTo(DECIDING_VOTE);
    }

    @Test
    void aReplayOnlyReadsAndCommitsNothing() {
        String key = UUID.randomUUID().toString();
        String small = "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"1500.00\"}}";
        var first = counted(agent, "/api/v1/actions", small, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(StatementCounting.lastRequestCommits()).as("the ask itself commits (the counter counts)").isEqualTo(1);
        // A vote that does not decide (quorum 2): the replay must show it.
        assertThat(api.vote(person("alice"), first.body().get("id").asString(), "APPROVE", null).status()).isEqualTo(200);

        var replay = counted(agent, "/api/v1/actions", small, key);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body().at("/decision/votes").size()).isEqualTo(1);
        List<String> statements = StatementCounting.lastRequest();
        System.out.println("Replay: " + statements.size() + " statements\n  " + String.join("\n  ", statements));

        assertThat(statements).as("a replay's statements").isNotEmpty().hasSizeLessThanOrEqualTo(REPLAY)
                .allSatisfy(sql -> assertThat(sql).startsWithIgnoringCase("select"));
        assertThat(StatementCounting.lastRequestCommits()).as("a replay's commits").isZero();

        // Allowed on arrival: nobody was asked, so no votes are read; the grant is.
        String allowedKey = UUID.randomUUID().toString();
        String read = "{\"tool\":\"docs.read\",\"arguments\":{\"path\":\"/" + UUID.randomUUID() + "\"}}";
        assertThat(counted(agent, "/api/v1/actions", read, allowedKey).status()).isEqualTo(201);
        var allowedReplay = counted(agent, "/api/v1/actions", read, allowedKey);
        assertThat(allowedReplay.status()).isEqualTo(200);
        assertThat(allowedReplay.body().at("/grant/token").asString()).isNotEmpty();
        List<String> allowedStatements = StatementCounting.lastRequest();
        System.out.println("Allowed replay: " + allowedStatements.size() + " statements\n  " + String.join("\n  ", allowedStatements));
        assertThat(allowedStatements).as("an allowed request's replay").isNotEmpty().hasSizeLessThanOrEqualTo(REPLAY)
                .noneSatisfy(sql -> assertThat(sql).containsIgnoringCase("from vote"));
        assertThat(StatementCounting.lastRequestCommits()).as("an allowed request's replay's commits").isZero();
    }
}
