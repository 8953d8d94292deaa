package dev.countersign.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Svids;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Standing approvals: "this and the next ones like it", given by the quorum within what the rule
 * allows (the test policy's small-payments: 8 h, 200 asks), used by later asks within the terms,
 * ended when used up, revoked by an approver of the rule, or voided when the policy or the agent's
 * runtime changes. {@code standing-agent} asks only here; each test pays from an account of its own
 * and bounds its standing approval to it, so no test's approval covers another's asks.
 */
@EndToEndTest
class StandingApprovalTest extends EndToEndBase {

    private String standingAgent;

    @BeforeEach
    void token() {
        standingAgent = api.token("standing-agent", "standing-agent-secret");
    }

    @Test
    void givenByTheQuorumItApprovesTheNextAsksWithinItsTermsUntilUsedUp() {
        String account = account();
        String first = pending(standingAgent, account, "20.00");
        var given = approve(person("alice"), first, account, "\"amountAtMost\":\"50.00\",\"uses\":2,\"expiresIn\":\"1h\"");
        assertThat(given.status()).as(given.raw().body()).isEqualTo(200);
        assertThat(given.body().get("status").asString()).isEqualTo("APPROVED");
        String id = given.body().at("/decision/standingApproval").asString();
        assertThat(id).startsWith("sa_");
        assertThat(given.body().at("/decision/votes/0/standing/uses").asInt()).isEqualTo(2);

        var listed = standing(person("bob"), id);
        assertThat(listed.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(listed.get("agent").asString()).isEqualTo("standing-agent");
        assertThat(listed.get("approvedBy").get(0).asString()).isEqualTo("alice");
        assertThat(listed.get("amountAtMost").decimalValue()).isEqualByComparingTo("50");

        // Within its terms: approved at once, citing it, with a grant, and nobody is asked.
        var covered = ask(standingAgent, account, "30.00");
        assertThat(covered.status()).isEqualTo(201);
        assertThat(covered.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(covered.body().at("/decision/by").asString()).isEqualTo("STANDING_APPROVAL");
        assertThat(covered.body().at("/decision/standingApproval").asString()).isEqualTo(id);
        assertThat(covered.body().at("/decision/reasonCode").asString()).isEqualTo("standing_approval");
        assertThat(covered.body().at("/grant/token").asString()).isNotBlank();
        // Beyond them: asked of people as usual.
        assertThat(ask(standingAgent, account, "60.00").body().get("status").asString()).isEqualTo("PENDING");
        assertThat(ask(standingAgent, account(), "10.00").body().get("status").asString()).isEqualTo("PENDING");
        // Its second and last use, then it is used up.
        assertThat(ask(standingAgent, account, "25.00").body().at("/decision/by").asString()).isEqualTo("STANDING_APPROVAL");
        assertThat(ask(standingAgent, account, "10.00").body().get("status").asString()).isEqualTo("PENDING");
        var usedUp = standing(person("bob"), id);
        assertThat(usedUp.get("status").asString()).isEqualTo("USED_UP");
        assertThat(usedUp.get("used").asInt()).isEqualTo(2);
        assertThat(usedUp.get("spent").decimalValue()).isEqualByComparingTo("55");
    }

    @Test
    void termsBeyondWhatTheRuleOrTheRequestAllowsAreRefused() {
        String account = account();
        String id = pending(standingAgent, account, "20.00");
        var tooLong = approve(person("alice"), id, account, "\"uses\":2,\"expiresIn\":\"9h\"");
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.raw().body()).contains("standing.expiresIn").contains("at most PT8H");
        var belowThisOne = approve(person("alice"), id, account, "\"amountAtMost\":\"10.00\",\"uses\":2,\"expiresIn\":\"1h\"");
        assertThat(belowThisOne.raw().body()).contains("standing.amountAtMost");
        var otherTool = approve(person("alice"), id, account, "\"tool\":\"payments.refund\",\"uses\":2,\"expiresIn\":\"1h\"");
        assertThat(otherTool.raw().body()).contains("standing.tool");
        var endless = approve(person("alice"), id, account, "\"expiresIn\":\"1h\",\"uses\":null");
        assertThat(endless.status()).as("the rule's maxUses applies when uses are left out").isEqualTo(200);

        // large-payments allows no standing approvals.
        String large = pending(standingAgent, account(), "1500.00");
        var refused = approve(person("alice"), large, null, "\"uses\":2,\"expiresIn\":\"1h\"");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.raw().body()).contains("does not allow standing approvals");
        // Nothing was counted of a refused vote: alice can still vote on it.
        assertThat(api.vote(person("alice"), large, "APPROVE", null).status()).isEqualTo(200);
    }

    @Test
    void anyApproverOfItsRuleRevokesIt() {
        String account = account();
        String id = approve(person("alice"), pending(standingAgent, account, "20.00"), account, "\"uses\":10,\"expiresIn\":\"1h\"")
                .body().at("/decision/standingApproval").asString();
        assertThat(ask(standingAgent, account, "20.00").body().at("/decision/by").asString()).isEqualTo("STANDING_APPROVAL");

        var notTheirs = api.post(person("carol"), "/api/v1/standing-approvals/" + id + "/revoke", "{\"comment\":\"not mine\"}");
        assertThat(notTheirs.status()).isEqualTo(403);
        var revoked = api.post(person("bob"), "/api/v1/standing-approvals/" + id + "/revoke", "{\"comment\":\"vendor under review\"}");
        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        assertThat(revoked.body().get("status").asString()).isEqualTo("REVOKED");
        assertThat(revoked.body().get("endReason").asString()).isEqualTo("Revoked by bob: vendor under review");
        assertThat(ask(standingAgent, account, "20.00").body().get("status").asString()).isEqualTo("PENDING");
        assertThat(api.post(person("bob"), "/api/v1/standing-approvals/" + id + "/revoke", "{}").status()).isEqualTo(409);
    }

    @Test
    void aPolicyActivationVoidsIt() {
        String account = account();
        String id = approve(person("alice"), pending(standingAgent, account, "20.00"), account, "\"uses\":10,\"expiresIn\":\"1h\"")
                .body().at("/decision/standingApproval").asString();
        String admin = person("admin");
        String inForce = api.get(admin, "/api/v1/policy").body().get("content").asString();
        var activated = api.post(admin, "/api/v1/policy/versions", draft(inForce + "\n# StandingApprovalTest: a new version\n", "test"));
        assertThat(activated.status()).as(activated.raw().body()).isEqualTo(201);
        try {
            // At once, before any ask finds it stale: its approvers see it ended, and why.
            var voided = standing(person("bob"), id);
            assertThat(voided.get("status").asString()).isEqualTo("VOIDED");
            assertThat(voided.get("endReason").asString()).startsWith("The policy changed").contains("activated by admin");
            var asked = ask(standingAgent, account, "20.00").body();
            assertThat(asked.get("status").asString()).isEqualTo("PENDING");
        } finally {
            assertThat(api.post(admin, "/api/v1/policy/versions", draft(inForce, "back to the test policy")).status()).isEqualTo(201);
        }
    }

    @Test
    void aChangeOfTheAgentsModelVoidsIt() {
        String account = account();
        String modelA = "model-a-" + UUID.randomUUID();
        String first = pending(svid(modelA), account, "20.00");
        String id = approve(person("alice"), first, account, "\"uses\":10,\"expiresIn\":\"1h\"").body().at("/decision/standingApproval").asString();
        assertThat(ask(svid(modelA), account, "20.00").body().at("/decision/by").asString()).isEqualTo("STANDING_APPROVAL");

        var changed = ask(svid("model-b-" + UUID.randomUUID()), account, "20.00").body();
        assertThat(changed.get("status").asString()).isEqualTo("PENDING");
        var voided = standing(person("bob"), id);
        assertThat(voided.get("status").asString()).isEqualTo("VOIDED");
        assertThat(voided.get("endReason").asString()).startsWith("The agent's runtime changed").contains(modelA);
        // Back on the model it was given for: it stays void.
        assertThat(ask(svid(modelA), account, "20.00").body().get("status").asString()).isEqualTo("PENDING");
    }

    private static String svid(String model) {
        return Svids.of(claims -> claims.claim("model_provider", "example-ai")
                .claim("runtime", Map.of("model", model, "instructions", "sha256:" + "d4".repeat(32))));
    }

    private JsonNode standing(String approver, String id) {
        var listed = api.get(approver, "/api/v1/standing-approvals?active=false");
        assertThat(listed.status()).isEqualTo(200);
        List<JsonNode> found = listed.body().get("items").valueStream().filter(item -> item.get("id").asString().equals(id)).toList();
        assertThat(found).as("standing approval " + id + " among those " + approver + " sees").hasSize(1);
        return found.getFirst();
    }

    private Api.Response approve(String approver, String requestId, String account, String terms) {
        String standing = "{" + (account == null ? "" : "\"resource\":\"" + account + "\",") + terms + "}";
        return api.post(approver, "/api/v1/actions/" + requestId + "/votes", "{\"vote\":\"APPROVE\",\"standing\":" + standing + "}");
    }

    private String pending(String token, String account, String amount) {
        var asked = ask(token, account, amount);
        assertThat(asked.body().get("status").asString()).as(asked.raw().body()).isEqualTo("PENDING");
        return asked.body().get("id").asString();
    }

    private Api.Response ask(String token, String account, String amount) {
        return api.ask(token, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"" + account + "\",\"to\":\"acct-"
                + UUID.randomUUID() + "\",\"amount\":\"" + amount + "\"}}");
    }

    private static String account() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String draft(String content, String comment) {
        return tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(Map.of("content", content, "comment", comment));
    }
}
