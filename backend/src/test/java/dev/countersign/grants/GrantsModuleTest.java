package dev.countersign.grants;

import static dev.countersign.AgentCalls.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.countersign.AgentCalls;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.DecidedBy;
import dev.countersign.actions.Verdict;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.web.context.WebApplicationContext;

/**
 * The grants module with the actions module, without approvals or the workflow: a grant is issued
 * in the transaction that approves, only then, bound to the action, and redeems once. Grants knows
 * nothing of requests (actions calls it when it decides), so actions, which approves them here, is
 * included by name.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES, extraIncludes = {"actions", "policy", "catalog", "documents"})
class GrantsModuleTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    ActionRequests requests;
    @Autowired
    Grants grants;
    @Autowired
    GrantRedeemer redeemer;

    AgentCalls agent;

    @BeforeEach
    void agent() {
        agent = new AgentCalls(context, "billing-agent");
    }

    @Test
    void anApprovalIssuesOneGrantThatRedeemsOnceForThatActionOnly() throws Exception {
        String id = agent.asked(transfer());
        assertThat(grants.of(id)).isEmpty();

        ActionRequest approved = requests.decide(id, approvedBy("alice")).orElseThrow();
        String token = grants.of(id).orElseThrow().token();

        redeem(token, "sha256:" + "0".repeat(64)).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.code").value("grant_invalid"));
        // The same grant with its signature's other valid form (r, n - s) is not the grant that was issued.
        var signature = com.nimbusds.jose.util.Base64URL.from(token.substring(token.lastIndexOf('.') + 1)).decode();
        var s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        var twinS = new java.math.BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16).subtract(s).toByteArray();
        byte[] twin = java.util.Arrays.copyOf(signature, 64);
        java.util.Arrays.fill(twin, 32, 64, (byte) 0);
        int from = Math.max(0, twinS.length - 32);
        System.arraycopy(twinS, from, twin, 64 - (twinS.length - from), twinS.length - from);
        redeem(token.substring(0, token.lastIndexOf('.') + 1) + com.nimbusds.jose.util.Base64URL.encode(twin), approved.actionHash())
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("low-S")));
        redeem(token, approved.actionHash()).andExpect(status().isOk())
                .andExpect(jsonPath("$.requestId").value(id)).andExpect(jsonPath("$.tool").value("payments.transfer"));
        redeem(token, approved.actionHash()).andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("grant_already_redeemed"));
    }

    @Test
    void theInProcessGatewayRedeemsTheIssuedGrantOnceAndOnlyForItsAction() throws Exception {
        String id = agent.asked(transfer());
        assertThatThrownBy(() -> redeemer.redeemIssued(id, "sha256:" + "0".repeat(64), "mcp-gateway"))
                .isInstanceOfSatisfying(dev.countersign.common.ApiProblem.class, problem -> assertThat(problem.getMessage()).contains("has no grant"));
        ActionRequest approved = requests.decide(id, approvedBy("alice")).orElseThrow();

        assertThatThrownBy(() -> redeemer.redeemIssued(id, "sha256:" + "0".repeat(64), "mcp-gateway"))
                .isInstanceOfSatisfying(dev.countersign.common.ApiProblem.class, problem -> assertThat(problem.code()).isEqualTo("grant_invalid"));
        assertThat(redeemer.redeemIssued(id, approved.actionHash(), "mcp-gateway").requestId()).isEqualTo(id);
        assertThatThrownBy(() -> redeemer.redeemIssued(id, approved.actionHash(), "mcp-gateway"))
                .isInstanceOfSatisfying(dev.countersign.common.ApiProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo("grant_already_redeemed"));
        // ... and the token the agent holds is spent too: one grant, whichever way it is redeemed.
        redeem(grants.of(id).orElseThrow().token(), approved.actionHash()).andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("grant_already_redeemed"));
    }

    @Test
    void anAllowedAskIsAnsweredWithItsGrant() throws Exception {
        agent.ask("""
                        {"tool":"docs.read","arguments":{"path":"/handbook"}}""")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.status").value("APPROVED"))
                .andExpect(jsonPath("$.grant.token").isString());
    }

    @Test
    void noOtherOutcomeIssuesAGrant() throws Exception {
        String denied = agent.asked(transfer());
        requests.decide(denied, new Verdict(ActionStatus.DENIED, DecidedBy.APPROVERS, "alice", "No", "denied"));
        String expired = agent.asked(transfer());
        requests.decide(expired, Verdict.expired());

        assertThat(grants.of(denied)).isEmpty();
        assertThat(grants.of(expired)).isEmpty();
        assertThat(requests.status(denied)).contains(ActionStatus.DENIED);
        assertThat(requests.status(expired)).contains(ActionStatus.EXPIRED);
    }

    private org.springframework.test.web.servlet.ResultActions redeem(String token, String actionHash) throws Exception {
        return agent.postAs("tool-gateway", "/api/v1/grants/redeem", """
                {"grant":"%s","actionHash":"%s"}""".formatted(token, actionHash));
    }

    private static Verdict approvedBy(String approver) {
        return new Verdict(ActionStatus.APPROVED, DecidedBy.APPROVERS, approver, "Approved by " + approver, "approved");
    }
}
