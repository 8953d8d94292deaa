package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.Await;
import dev.countersign.testing.PostgresTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The central promise under real concurrency on real PostgreSQL: no race creates a second request,
 * a second approval, a second decision or a second redemption, and none answers 5xx.
 */
@PostgresTest
class ConcurrencyOnPostgresTest extends EndToEndBase {

    @Test
    void twoHundredRetriesWithOneKeyMakeOneRequestOneProcessOneNotice() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = Api.largePayment().replace("INV-2291", "INV-" + key);

        List<Api.Response> answers = Concurrently.run(200, i -> api.ask(agent, key, body));

        assertThat(statuses(answers)).containsOnlyKeys(201, 200).containsEntry(201, 1L).containsEntry(200, 199L);
        assertThat(answers.stream().filter(a -> a.status() == 200).map(a -> a.header("Idempotent-Replayed"))).containsOnly("true");
        String id = onlyId(answers);
        assertThat(count("select count(*) from action_request where agent_id = 'billing-agent' and body like ?", "%INV-" + key + "%")).isEqualTo(1);
        awaitNotice(id);
        assertThat(processes.started(id)).isEqualTo(1);
        assertThat(count("select count(*) from approval_notice where request_id = ?", id)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'approvers.notified'", id)).isEqualTo(1);
    }

    @Test
    void twoHundredAsksForOneActionWithTwoHundredKeysCoalesceOntoOneApproval() throws Exception {
        String unique = UUID.randomUUID().toString();
        String body = Api.largePayment().replace("acct-vendor-17", "acct-" + unique);

        List<Api.Response> answers = Concurrently.run(200, i -> api.ask(agent, "key-" + unique + "-" + i, body));

        assertThat(statuses(answers)).containsOnlyKeys(201, 200).containsEntry(201, 1L);
        assertThat(answers.stream().filter(a -> a.status() == 200).map(a -> a.header("Coalesced"))).containsOnly("true");
        String id = onlyId(answers);
        String hash = answers.getFirst().body().get("actionHash").asString();
        assertThat(count("select count(*) from action_request where action_hash = ?", hash)).isEqualTo(1);
        assertThat(count("select count(*) from idempotency_key where request_id = ?", id)).as("every key replays to it").isEqualTo(200);
        awaitNotice(id);
        assertThat(processes.started(id)).isEqualTo(1);
    }

    @Test
    void oneKeyWithDifferentBodiesAtOnceLetsOneWinAndRefusesTheRest() throws Exception {
        String key = UUID.randomUUID().toString();

        List<Api.Response> answers = Concurrently.run(50, i -> api.ask(agent, key, Api.largePayment().replace("1250.00", (1000 + i) + ".00")));

        assertThat(statuses(answers)).containsOnlyKeys(201, 409).containsEntry(201, 1L).containsEntry(409, 49L);
        assertThat(answers.stream().filter(a -> a.status() == 409).map(Api.Response::code)).containsOnly("idempotency_key_reused");
        assertThat(count("select count(*) from idempotency_key where agent_id = 'billing-agent' and idem_key = ?", key)).isEqualTo(1);
    }

    @Test
    void fiftyApproversAtOnceOnAQuorumOfOneMakeOneDecisionAndOneGrant() throws Exception {
        String id = api.ask(agent, bulk("payments.bulk")).body().get("id").asString();
        List<String> tokens = Concurrently.run(50, i -> api.token(approver(i), approver(i)));

        List<Api.Response> answers = Concurrently.run(50, i -> api.vote(tokens.get(i), id, "APPROVE", null));

        assertThat(statuses(answers)).containsOnlyKeys(200, 409);
        assertThat(answers.stream().filter(a -> a.status() == 409).map(Api.Response::code)).containsOnly("not_pending");
        assertThat(count("select count(*) from vote where request_id = ?", id)).isEqualTo(statuses(answers).get(200));
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'action.decided'", id)).isEqualTo(1);
        assertThat(count("select count(*) from grant_token where request_id = ?", id)).isEqualTo(1);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("APPROVED");
    }

    @Test
    void oneApproverVotingTwentyTimesAtOnceCountsOnce() throws Exception {
        String id = api.ask(agent, bulk("payments.pair")).body().get("id").asString();
        String token = api.token(approver(0), approver(0));

        List<Api.Response> answers = Concurrently.run(20, i -> api.vote(token, id, "APPROVE", null));

        assertThat(statuses(answers)).containsOnlyKeys(200, 409).containsEntry(200, 1L).containsEntry(409, 19L);
        assertThat(answers.stream().filter(a -> a.status() == 409).map(Api.Response::code)).containsOnly("already_voted");
        assertThat(count("select count(*) from vote where request_id = ?", id)).isEqualTo(1);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void denyAndApproveRacingOnAQuorumOfOneHaveExactlyOneOutcome() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = api.ask(agent, bulk("payments.bulk")).body().get("id").asString();
            String approve = api.token(approver(1), approver(1));
            String deny = api.token(approver(2), approver(2));

            List<Api.Response> answers = Concurrently.run(2, i -> i == 0
                    ? api.vote(approve, id, "APPROVE", null)
                    : api.vote(deny, id, "DENY", "not this one"));

            assertThat(statuses(answers)).containsEntry(200, 1L).containsEntry(409, 1L);
            Api.Response winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
            String status = api.get(agent, "/api/v1/actions/" + id).body().get("status").asString();
            assertThat(status).isEqualTo(winner.body().get("status").asString()).isIn("APPROVED", "DENIED");
            assertThat(count("select count(*) from grant_token where request_id = ?", id)).isEqualTo("APPROVED".equals(status) ? 1 : 0);
            assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'action.decided'", id)).isEqualTo(1);
        }
    }

    @Test
    void aHundredRedeemsOfOneGrantSucceedOnce() throws Exception {
        var allowed = api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}");
        String grant = allowed.body().at("/grant/token").asString();
        String hash = allowed.body().get("actionHash").asString();
        String gateway = api.token("tool-gateway", "tool-gateway-secret");

        List<Api.Response> answers = Concurrently.run(100, i -> api.redeem(gateway, grant, hash));

        assertThat(statuses(answers)).containsOnlyKeys(200, 409).containsEntry(200, 1L).containsEntry(409, 99L);
        assertThat(answers.stream().filter(a -> a.status() == 409).map(Api.Response::code)).containsOnly("grant_already_redeemed");
    }

    @Test
    void decisionsOnManyRequestsAtOnceEachEndTheirProcessByMessage() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(api.ask(agent, bulk("payments.bulk")).body().get("id").asString());
        }
        for (String id : ids) {
            awaitNotice(id);
            Await.until(() -> "the process of " + id + " waiting for the decision", Duration.ofSeconds(10),
                    () -> processes.waitingForDecision(id));
        }
        List<String> tokens = Concurrently.run(10, i -> api.token(approver(i), approver(i)));

        List<Api.Response> answers = Concurrently.run(10, i -> api.vote(tokens.get(i), ids.get(i), "APPROVE", null));

        assertThat(statuses(answers)).containsOnlyKeys(200);
        assertThat(ids).hasSize(10);
        for (String id : ids) {
            Await.until(() -> "the process of " + id + " ended", Duration.ofSeconds(10), () -> !processes.running(id));
            assertThat(processes.endActivity(id)).isEqualTo("closed");
        }
    }

    private static String bulk(String tool) {
        return "{\"tool\":\"" + tool + "\",\"arguments\":{\"batch\":\"" + UUID.randomUUID() + "\"}}";
    }

    private static String approver(int i) {
        return "approver-%02d".formatted(i + 1);
    }

    private static Map<Integer, Long> statuses(List<Api.Response> answers) {
        return answers.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting()));
    }

    private static String onlyId(List<Api.Response> answers) {
        var ids = answers.stream().map(a -> a.body().get("id").asString()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        return ids.iterator().next();
    }

    /** Until the approvers of the request have been told; fails if they never are. */
    private void awaitNotice(String id) {
        Await.until(() -> "approvers notified of " + id, Duration.ofSeconds(10),
                () -> count("select count(*) from approval_notice where request_id = ?", id) > 0);
    }
}
