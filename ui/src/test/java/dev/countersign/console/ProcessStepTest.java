package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the drawing marks a request: from its status and audit trail, the same on both engines. */
class ProcessStepTest {

    @Test
    void aPendingRequestIsBeingNotifiedThenWaitsAndARemindedOneSaysSo() {
        assertThat(ProcessStep.of(request(ActionStatus.PENDING, true), List.of("action.requested"))).get()
                .satisfies(step -> {
                    assertThat(step.current()).isEqualTo("notify");
                    assertThat(step.done()).containsExactly("requested");
                });
        assertThat(ProcessStep.of(request(ActionStatus.PENDING, true), List.of("action.requested", "approvers.notified", "approvers.reminded")))
                .get().satisfies(step -> {
                    assertThat(step.current()).isEqualTo("decided");
                    assertThat(step.done()).containsExactly("requested", "notify", "remind");
                    assertThat(step.text()).isEqualTo("Waiting for a decision (approvers were reminded)");
                });
    }

    @Test
    void decidedAndExpiredRequestsEndWhereTheModelEndsThemAndOnesDecidedOnArrivalRanNoProcess() {
        assertThat(ProcessStep.of(request(ActionStatus.APPROVED, true), List.of("approvers.notified")).orElseThrow().current()).isEqualTo("closed");
        assertThat(ProcessStep.of(request(ActionStatus.DENIED, true), List.of("approvers.notified")).orElseThrow().text()).isEqualTo("Decided: denied");
        assertThat(ProcessStep.of(request(ActionStatus.EXPIRED, true), List.of("approvers.notified")).orElseThrow().current()).isEqualTo("expired");
        assertThat(ProcessStep.of(request(ActionStatus.APPROVED, false), List.of())).isEmpty();
    }

    private static ActionRequest request(ActionStatus status, boolean askedPeople) {
        return new ActionRequest("act_1", status, "billing-agent", null, "payments.transfer", "SPEND_MONEY", "sha256:x", Map.of(),
                null, null, null, null, null, null, null, null, null, null, null, Instant.EPOCH, Instant.EPOCH, null,
                askedPeople ? new ActionRequest.Approval(List.of("group:finance"), 1, Instant.EPOCH.plusSeconds(60), "run") : null, null);
    }
}
