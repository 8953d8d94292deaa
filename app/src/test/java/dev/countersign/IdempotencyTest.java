package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.Await;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A retry is answered with the original request; it never creates, evaluates or starts anything again. */
@EndToEndTest
class IdempotencyTest extends EndToEndBase {

    @Test
    void replayWithSameKeyReturnsTheOriginalAndCreatesNothing() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = Api.largePayment();
        var first = api.ask(agent, key, body);
        String id = first.body().get("id").asString();
        awaitProcess(id);
        long requests = rows("action_request");
        long audit = rows("audit_entry");

        // Same body, other spacing and key order: the fingerprint is over canonical JSON.
        String reordered = body.replace("\"tool\":\"payments.transfer\",\"category\":\"SPEND_MONEY\",",
                "\"category\": \"SPEND_MONEY\", \"tool\": \"payments.transfer\",");
        var replay = api.ask(agent, key, reordered);

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body().get("id").asString()).isEqualTo(id);
        assertThat(rows("action_request")).isEqualTo(requests);
        assertThat(rows("audit_entry")).isEqualTo(audit);
        assertThat(processes.started(id)).isEqualTo(1);
        assertThat(count("select count(*) from workflow_process_start where request_id = ?", id)).isEqualTo(1);
    }

    @Test
    void replayShowsTheCurrentStateIncludingTheGrant() {
        String key = UUID.randomUUID().toString();
        String body = Api.largePayment();
        String id = api.ask(agent, key, body).body().get("id").asString();
        api.vote(api.token("alice", "alice"), id, "APPROVE", null);
        api.vote(api.token("bob", "bob"), id, "APPROVE", null);

        var replay = api.ask(agent, key, body);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(replay.body().at("/grant/token").asString()).isNotBlank();
    }

    @Test
    void sameKeyWithAnotherBodyIsRefusedAndChangesNothing() {
        String key = UUID.randomUUID().toString();
        String body = Api.largePayment();
        String id = api.ask(agent, key, body).body().get("id").asString();
        long requests = rows("action_request");

        var reused = api.ask(agent, key, body.replace("1250.00", "9999.00"));

        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(rows("action_request")).isEqualTo(requests);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().at("/amount/value").asString()).isEqualTo("1250.00");
    }

    @Test
    void keysAreScopedToTheAgent() {
        String key = UUID.randomUUID().toString();
        String ops = api.token("ops-agent", "ops-agent-secret");
        var billing = api.ask(agent, key, "{\"tool\":\"docs.read\",\"arguments\":{}}");
        var other = api.ask(ops, key, "{\"tool\":\"docs.read\",\"arguments\":{}}");
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.body().get("id").asString()).isNotEqualTo(billing.body().get("id").asString());
    }

    @Test
    void actionHashIgnoresWhoAsksAndWhy() {
        String body = Api.largePayment();
        var one = api.ask(agent, body);
        var two = api.ask(agent, body.replace("Pay invoice INV-2291", "Another reason").replace("run-7f3a", "run-8"));
        assertThat(two.body().get("actionHash").asString()).isEqualTo(one.body().get("actionHash").asString())
                .matches("sha256:[0-9a-f]{64}");
    }

    /** Until the process has started and its notify job has run: both write rows of their own. */
    private void awaitProcess(String id) {
        Await.until(() -> "approvers notified of " + id, Duration.ofSeconds(10), () -> notified(id) > 0);
        assertThat(notified(id)).isEqualTo(1);
    }

    private long notified(String id) {
        return count("select count(*) from audit_entry where request_id = ? and type = 'approvers.notified'", id);
    }

    private long rows(String table) {
        return count("select count(*) from " + table);
    }
}
