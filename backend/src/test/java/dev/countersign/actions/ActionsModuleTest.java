package dev.countersign.actions;

import static dev.countersign.AgentCalls.idOf;
import static dev.countersign.AgentCalls.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.countersign.AgentCalls;
import dev.countersign.audit.AuditEntry;
import dev.countersign.audit.AuditLog;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.PublishedEvents;
import org.springframework.web.context.WebApplicationContext;

/**
 * The actions module with only what it depends on (policy, catalog, grants, audit, identity, and
 * the documents policy and catalog keep their versions in): no approvals, channels or workflow.
 * It stores what it is asked, decides through its one
 * {@code decide} (issuing an approval's grant itself) and tells the rest of Countersign by events.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES, extraIncludes = "documents")
class ActionsModuleTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    ActionRequests requests;
    @Autowired
    AuditLog audit;

    AgentCalls agent;

    @BeforeEach
    void agent() {
        agent = new AgentCalls(context, "billing-agent");
    }

    @Test
    void anApprovalNeedingAskIsStoredPendingAndAnnouncedForTheProcess(PublishedEvents events) throws Exception {
        String id = idOf(agent.ask(transfer()).andExpect(status().isCreated())
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.decision.rule").value("two-approvals")));

        var requested = events.ofType(ActionRequested.class).matching(ActionRequested::requestId, id);
        assertThat(requested).hasSize(1);
        AwaitingApproval awaiting = requested.iterator().next().awaiting();
        assertThat(awaiting.rule()).isEqualTo("two-approvals");
        assertThat(awaiting.expiresAt()).isEqualTo(requests.find(id).orElseThrow().approval().expiresAt());
        assertThat(events.ofType(ActionDecided.class)).isEmpty();
    }

    @Test
    void policyDecisionsAtArrivalGoThroughTheOneDecide(PublishedEvents events) throws Exception {
        String id = idOf(agent.ask("""
                {"tool":"payments.refund","arguments":{"payment":"%s"}}""".formatted(UUID.randomUUID()))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.status").value("DENIED")));

        assertThat(events.ofType(ActionDecided.class).matching(ActionDecided::requestId, id))
                .singleElement().satisfies(decided -> {
                    assertThat(decided.status()).isEqualTo(ActionStatus.DENIED);
                    assertThat(decided.by()).isEqualTo(DecidedBy.POLICY);
                    assertThat(decided.awaitedApproval()).isFalse();
                });
        assertThat(events.ofType(ActionRequested.class).matching(ActionRequested::requestId, id))
                .singleElement().satisfies(requested -> assertThat(requested.awaiting()).isNull());
        assertThat(types(id)).containsExactly("action.requested", "policy.evaluated", "action.decided");
    }

    @Test
    void ofTwoDecidersOnlyTheFirstDecides(PublishedEvents events) throws Exception {
        String id = idOf(agent.ask(transfer()).andExpect(status().isCreated()));

        Optional<ActionRequest> first = requests.decide(id, Verdict.cancelled("billing-agent"));
        Optional<ActionRequest> second = requests.decide(id, Verdict.expired());

        assertThat(first).get().extracting(ActionRequest::status).isEqualTo(ActionStatus.CANCELLED);
        assertThat(second).isEmpty();
        assertThat(requests.status(id)).contains(ActionStatus.CANCELLED);
        assertThat(events.ofType(ActionDecided.class).matching(ActionDecided::requestId, id))
                .singleElement().satisfies(decided -> assertThat(decided.awaitedApproval()).isTrue());
        assertThat(types(id)).containsOnlyOnce("action.decided");
    }

    @Test
    void aRetryWithTheSameKeyIsAReplayThatAnnouncesNothing(PublishedEvents events) throws Exception {
        String body = transfer();
        String key = UUID.randomUUID().toString();
        String id = idOf(agent.ask(body, key).andExpect(status().isCreated()));

        agent.ask(body, key).andExpect(status().isOk()).andExpect(header().string("Idempotent-Replayed", "true"))
                .andExpect(jsonPath("$.id").value(id));

        assertThat(events.ofType(ActionRequested.class)).hasSize(1);
    }

    private List<String> types(String requestId) {
        return audit.entriesFor(requestId).stream().map(AuditEntry::type).toList();
    }
}
