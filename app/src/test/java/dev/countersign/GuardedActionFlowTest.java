package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one path everything serves, over real HTTP: ask, wait, vote, get the grant, redeem it once. */
@EndToEndTest
class GuardedActionFlowTest extends EndToEndBase {

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void largePaymentNeedsTwoApprovalsAndTheWaitingAgentGetsASingleUseGrant() throws Exception {
        var asked = api.ask(agent, Api.largePayment());
        assertThat(asked.status()).isEqualTo(201);
        String id = asked.body().get("id").asString();
        assertThat(asked.header("Location")).isEqualTo("/api/v1/actions/" + id);
        assertThat(asked.body().get("status").asString()).isEqualTo("PENDING");
        assertThat(asked.body().at("/approval/quorum").asInt()).isEqualTo(2);
        assertThat(asked.body().at("/decision/rule").asString()).isEqualTo("large-payments");
        assertThat(asked.body().has("grant")).isFalse();

        var waiting = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + id + "?wait=30"));
        String aliceToken = api.token("alice", "alice");
        var alice = api.vote(aliceToken, id, "APPROVE", "invoice checked");
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.body().get("status").asString()).isEqualTo("PENDING");
        assertThat(alice.body().has("grant")).isFalse();
        // A counted vote answers with the request as stored, its update time and votes as a read returns them.
        var storedAfterAlice = api.get(aliceToken, "/api/v1/approvals/" + id).body();
        assertThat(alice.body().get("updatedAt")).isEqualTo(storedAfterAlice.get("updatedAt"));
        assertThat(alice.body().at("/decision/votes")).hasSize(1).isEqualTo(storedAfterAlice.at("/decision/votes"));
        assertThat(waiting).as("one approval of two does not wake the agent").isNotDone();

        Instant voted = Instant.now();
        var bob = api.vote(api.token("bob", "bob"), id, "APPROVE", null);
        assertThat(bob.status()).isEqualTo(200);
        assertThat(bob.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(bob.body().has("grant")).as("approvers never see the grant").isFalse();

        var decided = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.between(voted, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(decided.status()).isEqualTo(200);
        assertThat(decided.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(decided.body().at("/decision/by").asString()).isEqualTo("APPROVERS");
        assertThat(decided.body().at("/decision/votes")).hasSize(2);
        String grant = decided.body().at("/grant/token").asString();
        String actionHash = decided.body().get("actionHash").asString();
        assertThat(grant).isNotBlank();

        String gateway = api.token("tool-gateway", "tool-gateway-secret");
        var wrongHash = api.redeem(gateway, grant, "sha256:" + "0".repeat(64));
        assertThat(wrongHash.status()).isEqualTo(422);
        assertThat(wrongHash.code()).isEqualTo("grant_invalid");

        var redeemed = api.redeem(gateway, grant, actionHash);
        assertThat(redeemed.status()).isEqualTo(200);
        assertThat(redeemed.body().get("requestId").asString()).isEqualTo(id);
        assertThat(redeemed.body().get("agent").asString()).isEqualTo("billing-agent");
        assertThat(redeemed.body().get("tool").asString()).isEqualTo("payments.transfer");
        assertThat(redeemed.body().get("actionHash").asString()).isEqualTo(actionHash);

        var again = api.redeem(gateway, grant, actionHash);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("grant_already_redeemed");
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    /**
     * A waiting agent is answered with the request as its deciding transaction wrote it, not read back: the answer
     * must be exactly what a read returns afterwards (timestamps to the microsecond, every vote, the grant).
     */
    @Test
    void theWaitingAgentIsAnsweredWithExactlyWhatAReadReturnsAfterwards() throws Exception {
        for (String vote : List.of("APPROVE", "DENY")) {
            String id = api.ask(agent, Api.largePayment().replace("1250.00", "12.50")).body().get("id").asString();
            double waitersBefore = meters.get("countersign.actions.waiters").gauge().value();
            var waiting = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + id + "?wait=30"));
            await("the agent waits").atMost(Duration.ofSeconds(10))
                    .until(() -> meters.get("countersign.actions.waiters").gauge().value() > waitersBefore);

            var voted = api.vote(api.token("alice", "alice"), id, vote, "checked");
            assertThat(voted.status()).as(voted.raw().body()).isEqualTo(200);
            var answered = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
            var readAfterwards = api.get(agent, "/api/v1/actions/" + id);

            assertThat(answered.body().get("status").asString()).isEqualTo(vote.equals("APPROVE") ? "APPROVED" : "DENIED");
            assertThat(answered.body().has("grant")).isEqualTo(vote.equals("APPROVE"));
            assertThat(answered.body().at("/decision/votes")).hasSize(1);
            assertThat(answered.body()).isEqualTo(readAfterwards.body());
        }
    }

    @Test
    void grantIsAnEs256JwsWhoseKeyIsInTheJwks() {
        var asked = api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"handbook\"}}");
        String grant = asked.body().at("/grant/token").asString();
        String header = new String(java.util.Base64.getUrlDecoder().decode(grant.split("\\.")[0]));
        var jwks = api.get(null, "/.well-known/jwks.json");

        assertThat(header).contains("\"alg\":\"ES256\"");
        String kid = header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.body().get("keys").valueStream().map(k -> k.get("kid").asString())).contains(kid);
        assertThat(jwks.body().toString()).doesNotContain("\"d\"");
    }

    @Test
    void denyNeedsACommentAndDecidesAtOnce() throws Exception {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        var waiting = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + id + "?wait=30"));
        String alice = api.token("alice", "alice");

        var noComment = api.vote(alice, id, "DENY", null);
        assertThat(noComment.status()).isEqualTo(422);
        assertThat(noComment.code()).isEqualTo("validation_failed");

        var denied = api.vote(alice, id, "DENY", "vendor not on the approved list");
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.body().get("status").asString()).isEqualTo("DENIED");

        var answer = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(answer.body().at("/decision/by").asString()).isEqualTo("APPROVERS");
        assertThat(answer.body().has("grant")).isFalse();

        var late = api.vote(api.token("bob", "bob"), id, "APPROVE", null);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.code()).isEqualTo("not_pending");
    }

    @Test
    void agentCanWithdrawAPendingRequest() {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();

        var cancelled = api.post(agent, "/api/v1/actions/" + id + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().at("/decision/by").asString()).isEqualTo("AGENT");

        var again = api.post(agent, "/api/v1/actions/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.vote(api.token("alice", "alice"), id, "APPROVE", null).code()).isEqualTo("not_pending");
    }

    @Test
    void nobodyDecidingMeansTheProcessTimerExpiresTheRequest() {
        String id = api.ask(agent, "{\"tool\":\"payments.refund\",\"arguments\":{\"order\":\"o-1\"}}").body().get("id").asString();

        // The test policy's rule times out after 2 s; the BPMN timer, not this test, expires it.
        var answer = api.get(agent, "/api/v1/actions/" + id + "?wait=20");
        assertThat(answer.body().get("status").asString()).isEqualTo("EXPIRED");
        assertThat(answer.body().at("/decision/by").asString()).isEqualTo("TIMEOUT");
        assertThat(api.vote(api.token("alice", "alice"), id, "APPROVE", null).code()).isEqualTo("not_pending");
    }

    @Test
    void policyAllowsAndDeniesAtOnce() {
        var allowed = api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"handbook\"}}");
        assertThat(allowed.status()).isEqualTo(201);
        assertThat(allowed.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(allowed.body().at("/decision/by").asString()).isEqualTo("POLICY");
        assertThat(allowed.body().at("/decision/rule").asString()).isEqualTo("read-docs");
        assertThat(allowed.body().at("/grant/token").asString()).isNotBlank();

        String ops = api.token("ops-agent", "ops-agent-secret");
        var denied = api.ask(ops, "{\"tool\":\"db.drop_table\",\"arguments\":{\"database\":\"prod-main\",\"table\":\"users\"}}");
        assertThat(denied.status()).isEqualTo(201);
        assertThat(denied.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(denied.body().at("/decision/by").asString()).isEqualTo("POLICY");
        assertThat(denied.body().at("/decision/rule").asString()).isEqualTo("no-prod-drops");
        assertThat(denied.body().has("grant")).isFalse();
    }

    @Test
    void anActionNoRuleMatchesNeedsAnAdmin() {
        String ops = api.token("ops-agent", "ops-agent-secret");
        var asked = api.ask(ops, "{\"tool\":\"infra.scale\",\"arguments\":{\"cluster\":\"stg-eu\",\"replicas\":3}}");
        assertThat(asked.body().get("status").asString()).isEqualTo("PENDING");
        assertThat(asked.body().at("/approval/approvers/0").asString()).isEqualTo("group:admin");

        String id = asked.body().get("id").asString();
        assertThat(api.vote(api.token("carol", "carol"), id, "APPROVE", null).code()).isEqualTo("not_eligible");
        assertThat(api.vote(api.token("admin", "admin"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
    }

    @Test
    void approverSeesTheirInboxAndTheHistoryOfTheSameAction() {
        String alice = api.token("alice", "alice");
        String payment = Api.largePayment();
        String first = api.ask(agent, payment).body().get("id").asString();
        api.vote(alice, first, "APPROVE", "paid last month");
        api.vote(api.token("bob", "bob"), first, "APPROVE", null);
        // Paying the same again moments after it was approved is said ("repeat"): otherwise the ask joins that approval.
        String second = api.ask(agent, payment.replaceFirst("\\{", "{\"repeat\":true,")).body().get("id").asString();
        assertThat(second).isNotEqualTo(first);

        var inbox = api.get(alice, "/api/v1/approvals?limit=100");
        assertThat(inbox.status()).isEqualTo(200);
        assertThat(inbox.body().get("items").valueStream().map(i -> i.get("id").asString())).contains(second).doesNotContain(first);
        assertThat(inbox.body().toString()).doesNotContain("\"grant\"");
        assertThat(api.get(api.token("carol", "carol"), "/api/v1/approvals").body().get("items").valueStream()
                .map(i -> i.get("id").asString())).doesNotContain(second);

        var detail = api.get(alice, "/api/v1/approvals/" + second);
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.body().get("id").asString()).isEqualTo(second);
        assertThat(detail.body().get("history").valueStream().map(h -> h.get("id").asString())).contains(first);
        assertThat(api.get(api.token("carol", "carol"), "/api/v1/approvals/" + second).status()).isEqualTo(404);
    }

    @Test
    void approvalsArePagedWithACursor() {
        String carol = api.token("carol", "carol");
        String ops = api.token("ops-agent", "ops-agent-secret");
        for (int i = 0; i < 3; i++) {
            api.ask(ops, "{\"tool\":\"infra.deploy\",\"category\":\"CHANGE_INFRASTRUCTURE\",\"environment\":\"prod\",\"arguments\":{\"cluster\":\"prod-eu\",\"n\":" + i + "}}");
        }
        var first = api.get(carol, "/api/v1/approvals?limit=2");
        assertThat(first.body().get("items")).hasSize(2);
        String cursor = first.body().get("nextCursor").asString();
        var second = api.get(carol, "/api/v1/approvals?limit=2&cursor=" + cursor);
        assertThat(second.body().get("items").size()).isGreaterThanOrEqualTo(1);
        assertThat(second.body().get("items").get(0).get("id").asString())
                .isNotIn(first.body().get("items").get(0).get("id").asString(), first.body().get("items").get(1).get("id").asString());
    }

    @Test
    void auditChainRecordsTheStoryAndVerifies() {
        String admin = api.token("admin", "admin");
        // Other tests share this application's log: read only what comes after this point.
        long before = api.get(admin, "/api/v1/audit/verify").body().get("entries").asLong();
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        api.vote(api.token("alice", "alice"), id, "DENY", "no");

        var verify = api.get(admin, "/api/v1/audit/verify");
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.body().get("valid").asBoolean()).isTrue();
        assertThat(verify.body().get("entries").asLong()).isPositive();
        assertThat(api.get(api.token("alice", "alice"), "/api/v1/audit/verify").status()).isEqualTo(403);
        var page = api.get(admin, "/api/v1/audit?after=" + before + "&limit=1000");
        assertThat(page.body().get("items").valueStream().filter(e -> id.equals(e.path("requestId").asString()))
                .map(e -> e.get("type").asString()))
                .contains("action.requested", "policy.evaluated", "vote.cast", "action.decided");
    }
}
