package dev.countersign.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.Api;
import dev.countersign.audit.AuditLog;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delegation chains (RFC 8693 token exchange at the built-in issuer): a sub-agent acting for an
 * orchestrator, or for a person through one, gets only what every link of the chain may do, for
 * no longer than any link's token lives; policy, approvers, the audit log and switches all see
 * the whole chain. Test agents (application-test.yaml): orchestrator (owner bob; payments.transfer,
 * infra.*, docs.*; may delegate to billing-agent and ops-agent), billing-agent (owner dana;
 * payments.*, docs.*; may delegate to payout-agent), payout-agent (owner erin; payments.*).
 */
@EndToEndTest
class DelegationChainTest extends EndToEndBase {

    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    @Autowired
    AgentSwitches switches;
    @Autowired
    Callers callers;
    @Autowired
    AuditLog audit;

    @Test
    void aThreeLinkChainFromAPersonIsNarrowedRecordedAndKeptFromItsOwnPeople() {
        String alice = person("alice");
        String forAlice = exchange("orchestrator", alice, null).body().get("access_token").asString();
        var exchanged = exchange("billing-agent", forAlice, null);
        assertThat(exchanged.status()).as(exchanged.raw().body()).isEqualTo(200);
        assertThat(exchanged.body().get("issued_token_type").asString()).isEqualTo(ACCESS_TOKEN);
        String chained = exchanged.body().get("access_token").asString();

        // The token names the person it started with and every agent after her, the one acting now outermost.
        JsonNode claims = claims(chained);
        assertThat(claims.get("sub").asString()).isEqualTo("alice");
        assertThat(claims.at("/act/sub").asString()).isEqualTo("billing-agent");
        assertThat(claims.at("/act/act/sub").asString()).isEqualTo("orchestrator");
        assertThat(claims.at("/act/act/act").isMissingNode()).isTrue();
        // It lives no longer than the token it came from.
        assertThat(claims.get("exp").asLong()).isLessThanOrEqualTo(claims(forAlice).get("exp").asLong());

        // billing-agent may refund; the orchestrator, a link of this chain, may not: the chain may not either.
        var refund = api.ask(chained, "{\"tool\":\"payments.refund\",\"arguments\":{\"charge\":\"ch_" + UUID.randomUUID() + "\"}}");
        assertThat(refund.status()).isEqualTo(403);
        assertThat(refund.raw().body()).contains("may not use tool 'payments.refund'");

        // A payment of 600 EUR with a person at the chain's root is asked (the rule for agent-rooted chains does not apply).
        var asked = api.ask(chained, payment("600.00"));
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        JsonNode request = asked.body();
        assertThat(request.get("agent").asString()).isEqualTo("billing-agent");
        assertThat(request.at("/decision/rule").asString()).isEqualTo("small-payments");
        assertThat(strings(request.at("/delegation/chain"))).containsExactly("alice", "orchestrator", "billing-agent");
        assertThat(request.at("/delegation/rootIsPerson").asBoolean()).isTrue();
        String id = request.get("id").asString();

        // The audit entry names the chain.
        var requested = audit.entriesFor(id).stream().filter(entry -> entry.type().equals("action.requested")).toList();
        assertThat(requested).hasSize(1);
        assertThat(requested.getFirst().data()).contains("\"chain\":[\"alice\",\"orchestrator\",\"billing-agent\"]");

        // Separation of duties across the chain: the person at its root, the orchestrator's owner (bob) and billing-agent's
        // owner (dana) are all finance approvers, and none of them may approve it.
        for (String approver : List.of("alice", "bob", "dana")) {
            var vote = api.vote(person(approver), id, "APPROVE", null);
            assertThat(vote.status()).as(approver + ": " + vote.raw().body()).isEqualTo(403);
            assertThat(vote.raw().body()).contains("You are the subject of this request");
        }

        // A fourth link is one more than countersign.identity.max-chain (3) allows.
        var tooDeep = exchange("payout-agent", chained, null);
        assertThat(tooDeep.status()).isEqualTo(400);
        assertThat(tooDeep.body().get("error").asString()).isEqualTo("invalid_request");
        assertThat(tooDeep.body().get("error_description").asString()).contains("has 4 links").contains("max-chain allows 3");
    }

    @Test
    void aChainOfAgentsIsDecidedByPolicyOnItsRootAndApprovedBySomeoneOutsideIt() {
        String orchestrator = api.token("orchestrator", "orchestrator-secret");
        String chained = exchange("billing-agent", orchestrator, null).body().get("access_token").asString();
        assertThat(claims(chained).get("sub").asString()).isEqualTo("orchestrator");
        assertThat(claims(chained).get("exp").asLong()).isEqualTo(claims(orchestrator).get("exp").asLong());

        // CEL on agent.chain and agent.rootIsPerson: no agent-rooted chain pays 600 EUR.
        var large = api.ask(chained, payment("600.00"));
        assertThat(large.status()).as(large.raw().body()).isEqualTo(201);
        assertThat(large.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(large.body().at("/decision/rule").asString()).isEqualTo("delegated-payments-need-a-person");
        // billing-agent asking for itself is not a chain: the same payment is asked of people.
        var direct = api.ask(agent, payment("600.00"));
        assertThat(direct.body().at("/decision/rule").asString()).isEqualTo("small-payments");
        assertThat(direct.body().has("delegation")).isFalse();

        var small = api.ask(chained, payment("20.00"));
        assertThat(small.body().get("status").asString()).isEqualTo("PENDING");
        String id = small.body().get("id").asString();
        assertThat(api.vote(person("bob"), id, "APPROVE", null).status()).as("bob owns the orchestrator").isEqualTo(403);
        var approved = api.vote(person("alice"), id, "APPROVE", null);
        assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
        var decided = api.get(chained, "/api/v1/actions/" + id + "?wait=5").body();
        assertThat(decided.get("status").asString()).isEqualTo("APPROVED");
        var redeemed = api.redeem(api.token("tool-gateway", "tool-gateway-secret"), decided.at("/grant/token").asString(),
                decided.get("actionHash").asString());
        assertThat(redeemed.status()).as(redeemed.raw().body()).isEqualTo(200);
    }

    @Test
    void anExchangeThatWouldWidenAnythingIsRefusedWithItsReason() {
        String orchestrator = api.token("orchestrator", "orchestrator-secret");

        // The orchestrator has only payments.transfer of the payments tools: asking for all of them widens.
        assertRefused(exchange("billing-agent", orchestrator, "tool:payments.*"), "wider than the chain orchestrator → billing-agent");
        // ops-agent has db.*, the orchestrator has not.
        assertRefused(exchange("ops-agent", orchestrator, "tool:db.query"), "wider than the chain");
        // Not a tool scope.
        assertRefused(exchange("billing-agent", orchestrator, "openid"), "is not a tool scope");
        // The orchestrator does not list payout-agent among its delegates.
        assertRefused(exchange("payout-agent", orchestrator, null), "agent 'orchestrator' may not hand work to 'payout-agent'");
        // The acting agent proves itself with its own token, not another's.
        assertRefused(exchange("billing-agent", orchestrator, null, api.token("ops-agent", "ops-agent-secret")),
                "actor_token must be the client's own token");
        // Delegation only: without an actor token the client would simply become the subject.
        assertRefused(exchange("billing-agent", orchestrator, null, null), "delegation only");
        // A token that is not this issuer's.
        assertRefused(exchange("billing-agent", orchestrator.substring(0, orchestrator.length() - 4) + "AAAA", null), "subject_token is not a valid token");

        // Narrower is fine, and holds: a token for docs only cannot pay, and cannot be widened again further down.
        String docsOnly = exchange("billing-agent", orchestrator, "tool:docs.*").body().get("access_token").asString();
        assertThat(claims(docsOnly).get("scope").asString()).isEqualTo("tool:docs.*");
        var pay = api.ask(docsOnly, payment("20.00"));
        assertThat(pay.status()).isEqualTo(403);
        assertThat(api.ask(docsOnly, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}").status()).isEqualTo(201);
        // Further down the chain, the narrowing holds: payout-agent cannot ask back what docsOnly gave up.
        assertRefused(exchange("payout-agent", docsOnly, "tool:payments.transfer"), "wider than subject_token's tool scopes (docs.*)");
        String stillDocsOnly = exchange("payout-agent", docsOnly, null).body().get("access_token").asString();
        assertThat(claims(stillDocsOnly).get("scope").asString()).isEqualTo("tool:docs.*");
        assertThat(api.ask(stillDocsOnly, payment("20.00")).status()).isEqualTo(403);
    }

    @Test
    void switchingOffAMiddleLinkKillsEveryTokenThatNamesItAndWhatItAsked() {
        // alice → orchestrator → billing-agent: the orchestrator is the middle link.
        String forAlice = exchange("orchestrator", person("alice"), null).body().get("access_token").asString();
        String chained = exchange("billing-agent", forAlice, null).body().get("access_token").asString();
        String pending = api.ask(chained, payment("30.00")).body().get("id").asString();
        var allowed = api.ask(chained, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}").body();
        assertThat(allowed.get("status").asString()).isEqualTo("APPROVED");
        // And a standing approval given to the chain orchestrator → billing-agent (alice is outside that chain).
        String orchestrator = api.token("orchestrator", "orchestrator-secret");
        String agentRooted = exchange("billing-agent", orchestrator, null).body().get("access_token").asString();
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        String first = api.ask(agentRooted, payment(account, "20.00")).body().get("id").asString();
        var given = api.post(person("alice"), "/api/v1/actions/" + first + "/votes",
                "{\"vote\":\"APPROVE\",\"standing\":{\"resource\":\"" + account + "\",\"uses\":5,\"expiresIn\":\"1h\"}}");
        assertThat(given.status()).as(given.raw().body()).isEqualTo(200);
        String standing = given.body().at("/decision/standingApproval").asString();
        assertThat(api.ask(agentRooted, payment(account, "20.00")).body().at("/decision/by").asString()).isEqualTo("STANDING_APPROVAL");
        var admin = callers.approver("admin", "admin@example.com", Set.of("admin"));

        switches.set(admin, "orchestrator", false);
        try {
            var cancelled = api.get(person("admin"), "/api/v1/approvals/" + pending).body();
            assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(cancelled.at("/decision/reasonCode").asString()).isEqualTo("agent_disabled");
            var redeem = api.redeem(api.token("tool-gateway", "tool-gateway-secret"), allowed.at("/grant/token").asString(),
                    allowed.get("actionHash").asString());
            assertThat(redeem.status()).isEqualTo(422);
            assertThat(redeem.raw().body()).contains("grant_invalid");
            var refused = api.ask(chained, payment("31.00"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.raw().body()).contains("disabled");
            // What people approved in advance for a chain through it ends too.
            var voided = api.get(person("bob"), "/api/v1/standing-approvals?active=false").body().get("items").valueStream()
                    .filter(item -> item.get("id").asString().equals(standing)).toList();
            assertThat(voided).hasSize(1);
            assertThat(voided.getFirst().get("status").asString()).isEqualTo("VOIDED");
            assertThat(voided.getFirst().get("endReason").asString()).contains("'orchestrator' was switched off");
            // A new exchange through the switched-off orchestrator is refused too.
            assertRefused(exchange("billing-agent", orchestrator, null), "switched off");
            // billing-agent for itself is untouched.
            assertThat(api.ask(agent, payment("32.00")).status()).isEqualTo(201);
        } finally {
            switches.set(admin, "orchestrator", true);
        }
    }

    private Api.Response exchange(String client, String subjectToken, String scope) {
        return exchange(client, subjectToken, scope, api.token(client, client + "-secret"));
    }

    private Api.Response exchange(String client, String subjectToken, String scope, String actorToken) {
        StringBuilder form = new StringBuilder("grant_type=" + encode(TOKEN_EXCHANGE) + "&subject_token=" + encode(subjectToken)
                + "&subject_token_type=" + encode(ACCESS_TOKEN));
        if (actorToken != null) {
            form.append("&actor_token=").append(encode(actorToken)).append("&actor_token_type=").append(encode(ACCESS_TOKEN));
        }
        if (scope != null) {
            form.append("&scope=").append(encode(scope));
        }
        String basic = Base64.getEncoder().encodeToString((client + ":" + client + "-secret").getBytes(StandardCharsets.UTF_8));
        return api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    private static void assertRefused(Api.Response response, String reason) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(400);
        assertThat(response.body().get("error").asString()).isEqualTo("invalid_request");
        assertThat(response.body().get("error_description").asString()).contains(reason);
    }

    private static String payment(String amount) {
        return payment("acct-ops", amount);
    }

    private static String payment(String from, String amount) {
        return "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"" + from + "\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"" + amount + "\"}}";
    }

    private static JsonNode claims(String token) {
        return JsonMapper.shared().readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
