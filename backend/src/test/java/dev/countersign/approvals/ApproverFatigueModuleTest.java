package dev.countersign.approvals;

import static dev.countersign.AgentCalls.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.countersign.AgentCalls;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Callers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.context.WebApplicationContext;

/**
 * The fatigue guard: an approver who approved two requests within the window is asked, on the next approval, to say
 * why in a comment; a denial and the other approvers are not held up.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@TestPropertySource(properties = {"countersign.approvals.fatigue.approvals=2", "countersign.approvals.fatigue.within=10m"})
class ApproverFatigueModuleTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    Approvals approvals;
    @Autowired
    Callers callers;

    @Test
    void aTiredApproverMustSayWhyWhileOthersAndDenialsGoOn() throws Exception {
        var agent = new AgentCalls(context, "billing-agent");
        var alice = callers.approver("alice", null, List.of());
        approvals.vote(alice, agent.asked(transfer()), Vote.APPROVE, null, Channel.API);
        assertThat(approvals.isTired(alice)).isFalse();
        approvals.vote(alice, agent.asked(transfer()), Vote.APPROVE, null, Channel.API);
        assertThat(approvals.isTired(alice)).isTrue();

        String third = agent.asked(transfer());
        var refused = catchThrowableOfType(ApiProblem.class, () -> approvals.vote(alice, third, Vote.APPROVE, null, Channel.CONSOLE));

        assertThat(refused.code()).isEqualTo("validation_failed");
        assertThat(refused.properties().get("errors")).asString().contains("comment").contains("you approved 2 or more requests in the last 10 min");
        // With a comment, the vote counts; bob has approved nothing lately and needs none; a denial needs its own comment only.
        assertThat(approvals.vote(alice, third, Vote.APPROVE, "Invoice INV-7 checked against the PO", Channel.CONSOLE).approvals()).isEqualTo(1);
        assertThat(approvals.isTired(callers.approver("bob", null, List.of()))).isFalse();
        approvals.vote(callers.approver("bob", null, List.of()), third, Vote.APPROVE, null, Channel.API);
        approvals.vote(alice, agent.asked(transfer()), Vote.DENY, "Duplicate", Channel.API);
    }
}
