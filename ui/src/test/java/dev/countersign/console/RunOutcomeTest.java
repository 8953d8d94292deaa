package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import dev.countersign.audit.AuditEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Each outcome an approver reads on an approved request's page, from the request's audit entries. */
class RunOutcomeTest {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Instant APPROVED = Instant.parse("2026-12-06T10:00:00Z");
    private final List<AuditEntry> entries = new ArrayList<>(List.of(entry("grant.issued", "countersign",
            "{\"jti\":\"j\",\"expiresAt\":\"" + APPROVED.plus(Duration.ofMinutes(5)) + "\"}")));

    private static AuditEntry entry(String type, String actor, String data) {
        return new AuditEntry(1, APPROVED.plusSeconds(30), type, actor, "act_1", data, "p", "h");
    }

    private static ActionRequest request(ActionStatus status) {
        return new ActionRequest("act_1", status, "desktop-agent", null, "fs.write_file", "CHANGE_INFRASTRUCTURE", "sha256:x", Map.of(),
                null, null, null, null, null, null, null, null, null, null, null, APPROVED, APPROVED, null, null, null);
    }

    private String outcome(Instant now) {
        return RunOutcome.of(request(ActionStatus.APPROVED), entries, now, JSON).orElseThrow();
    }

    @Test
    void approvedAndNotRunYetThenNeverRunOnceItsGrantExpired() {
        assertThat(outcome(APPROVED.plusSeconds(60))).startsWith("Approved → not run yet (its grant holds until");
        assertThat(outcome(APPROVED.plus(Duration.ofMinutes(6)))).startsWith("Approved → never run (its grant expired unclaimed at");
        assertThat(RunOutcome.ran(request(ActionStatus.APPROVED), entries)).isFalse();
    }

    @Test
    void ranThroughTheGatewayWithItsResultOkOrError() {
        entries.add(entry("grant.redeemed", "mcp-gateway", "{}"));
        entries.add(entry("gateway.forwarded", "mcp-gateway", "{\"server\":\"fs\",\"tool\":\"fs.write_file\",\"isError\":false}"));
        assertThat(outcome(APPROVED.plus(Duration.ofMinutes(6)))).startsWith("Approved → ran at").endsWith("through the MCP gateway, result ok");
        assertThat(RunOutcome.ran(request(ActionStatus.APPROVED), entries)).isTrue();
        entries.set(2, entry("gateway.forwarded", "mcp-gateway", "{\"isError\":true}"));
        assertThat(outcome(APPROVED)).contains("result error");
    }

    @Test
    void ranByTheAgentsOwnRedemptionOrFailedInTheMiddle() {
        entries.add(entry("grant.redeemed", "tool-gateway", "{}"));
        assertThat(outcome(APPROVED)).startsWith("Approved → run at").endsWith("(its grant was redeemed by tool-gateway)");
        assertThat(RunOutcome.ran(request(ActionStatus.APPROVED), entries)).isTrue();
        entries.add(entry("gateway.upstream_failed", "mcp-gateway", "{}"));
        assertThat(outcome(APPROVED)).contains("whether it ran is unknown");
        assertThat(RunOutcome.ran(request(ActionStatus.APPROVED), entries)).isFalse();
    }

    @Test
    void onlyApprovedRequestsHaveAnOutcome() {
        assertThat(RunOutcome.of(request(ActionStatus.DENIED), entries, APPROVED, JSON)).isEmpty();
        assertThat(RunOutcome.of(request(ActionStatus.PENDING), entries, APPROVED, JSON)).isEmpty();
    }
}
