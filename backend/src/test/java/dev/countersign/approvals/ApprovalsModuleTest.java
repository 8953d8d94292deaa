package dev.countersign.approvals;

import static dev.countersign.AgentCalls.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.countersign.AgentCalls;
import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.actions.VoteCast;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.DecidedBy;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Callers;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.PublishedEvents;
import org.springframework.web.context.WebApplicationContext;

/**
 * The approvals module over what it depends on (actions, and what actions needs), without the
 * workflow or any channel: it says who may vote; the request counts the votes it is given and
 * decides itself.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
class ApprovalsModuleTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    Approvals approvals;
    @Autowired
    ActionRequests requests;
    @Autowired
    Callers callers;

    AgentCalls agent;

    @BeforeEach
    void agent() {
        agent = new AgentCalls(context, "billing-agent");
    }

    @Test
    void theSecondDistinctApprovalCompletesTheQuorumAndDecides(PublishedEvents events) throws Exception {
        String id = agent.asked(transfer());

        ActionRequest afterOne = approvals.vote(approver("alice"), id, Vote.APPROVE, null, Channel.API);
        assertThat(afterOne.status()).isEqualTo(ActionStatus.PENDING);
        assertThat(events.ofType(ActionDecided.class)).isEmpty();

        ActionRequest afterTwo = approvals.vote(approver("bob"), id, Vote.APPROVE, null, Channel.API);
        assertThat(afterTwo.status()).isEqualTo(ActionStatus.APPROVED);
        assertThat(afterTwo.decision().votes()).extracting(ActionRequest.VoteView::approver).containsExactly("alice", "bob");
        assertThat(events.ofType(VoteCast.class).matching(VoteCast::requestId, id))
                .extracting(VoteCast::approver).containsExactly("alice", "bob");
        assertThat(events.ofType(ActionDecided.class)).singleElement().satisfies(decided -> {
            assertThat(decided.requestId()).isEqualTo(id);
            assertThat(decided.by()).isEqualTo(DecidedBy.APPROVERS);
            assertThat(decided.status()).isEqualTo(ActionStatus.APPROVED);
        });
    }

    @Test
    void oneDenyDecidesWhateverTheQuorum() throws Exception {
        String id = agent.asked(transfer());

        ActionRequest denied = approvals.vote(approver("alice"), id, Vote.DENY, "Not this vendor", Channel.API);

        assertThat(denied.status()).isEqualTo(ActionStatus.DENIED);
        assertThat(denied.decision().reason()).contains("Not this vendor");
    }

    @Test
    void aDenialWithTheLongestCommentIsRecordedWhole() throws Exception {
        String id = agent.asked(transfer());
        String comment = "x".repeat(2000);

        ActionRequest denied = approvals.vote(approver("bob"), id, Vote.DENY, comment, Channel.API);

        assertThat(denied.status()).isEqualTo(ActionStatus.DENIED);
        assertThat(denied.decision().votes()).singleElement().satisfies(vote -> assertThat(vote.comment()).isEqualTo(comment));
        assertThat(denied.decision().reason()).startsWith("Denied by bob: xxx").endsWith("…")
                .satisfies(reason -> assertThat(reason.codePointCount(0, reason.length())).isEqualTo(2000));
    }

    @Test
    void anApproverCountsOnceTheOwnerAndOutsidersNotAtAll(PublishedEvents events) throws Exception {
        String id = agent.asked(transfer());
        approvals.vote(approver("alice"), id, Vote.APPROVE, null, Channel.API);

        assertThat(refusal(() -> approvals.vote(approver("alice"), id, Vote.APPROVE, null, Channel.SLACK)))
                .isEqualTo("already_voted");
        // dana owns billing-agent: an agent's owner never approves its actions, even in the right group.
        assertThat(refusal(() -> approvals.vote(approver("dana"), id, Vote.APPROVE, null, Channel.API)))
                .isEqualTo("self_approval");
        assertThat(refusal(() -> approvals.vote(approver("carol"), id, Vote.APPROVE, null, Channel.API)))
                .isEqualTo("not_eligible");

        assertThat(requests.status(id)).contains(ActionStatus.PENDING);
        assertThat(events.ofType(VoteCast.class)).extracting(VoteCast::approver).containsExactly("alice");
    }

    @Test
    void aDecidedRequestTakesNoMoreVotes() throws Exception {
        String id = agent.asked(transfer());
        approvals.vote(approver("alice"), id, Vote.DENY, "No", Channel.API);

        assertThat(refusal(() -> approvals.vote(approver("bob"), id, Vote.APPROVE, null, Channel.API))).isEqualTo("not_pending");
    }

    private dev.countersign.identity.Caller.Approver approver(String id) {
        return callers.approver(id, null, List.of());
    }

    private static String refusal(Runnable vote) {
        return catchThrowableOfType(ApiProblem.class, vote::run).code();
    }
}
