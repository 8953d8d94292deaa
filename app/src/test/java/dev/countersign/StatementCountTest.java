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
}
