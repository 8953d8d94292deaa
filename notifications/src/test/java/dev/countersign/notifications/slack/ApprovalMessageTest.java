package dev.countersign.notifications.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a Slack approver reads of who asked: the delegation chain and the runtime, with whether it changed. */
class ApprovalMessageTest {

    @Test
    void theChainAndAChangedRuntimeAreSaidBeforeTheArguments() {
        var runtime = new ActionRequest.Runtime(new ActionRequest.Runtime.Model("example-ai", "example-model-2", "2026-11-01"),
                "sha256:" + "ab".repeat(32), null, null, List.of("model.name"), true);
        var request = new ActionRequest("act_1", ActionStatus.PENDING, "billing-agent", null, "payments.transfer", "SPEND_MONEY",
                "sha256:x", Map.of("amount", "40.00"), "acct-ops", "acct-vendor-17", new ActionRequest.Amount("40.00", "EUR"), null, "prod", null, null, null,
                null, new ActionRequest.Delegation(List.of("alice", "orchestrator", "billing-agent"), true), runtime, Instant.EPOCH,
                Instant.EPOCH, new ActionRequest.Decision(null, "small-payments", "v1", "c1", "needs finance", null, null, List.of(), null),
                new ActionRequest.Approval(List.of("group:finance"), 1, Instant.EPOCH.plusSeconds(3600), "run"), null);

        List<String> sections = texts(ApprovalMessage.blocks(request, List.of(), "https://countersign.example.com"));

        assertThat(sections).as("section texts").isNotEmpty();
        assertThat(sections).contains("Delegated: alice → orchestrator → billing-agent (started by a person)");
        assertThat(sections).contains("Runtime: example-ai example-model-2 (2026-11-01) · instructions sha256:abababababab… · "
                + "changed since its last approved request: yes");
    }

    private static List<String> texts(List<LayoutBlock> blocks) {
        return blocks.stream().filter(SectionBlock.class::isInstance).map(SectionBlock.class::cast)
                .filter(section -> section.getText() != null).map(section -> section.getText().getText()).toList();
    }
}
