package dev.countersign.policy;

import java.time.Duration;
import java.util.List;

/**
 * The policy's answer. For {@link Effect#APPROVE}: who may approve ({@code group:x}, {@code user:y}),
 * how many distinct approvals decide, when the request expires, and when to remind (optional);
 * {@code hold}: an approved call through the MCP gateway runs only when the agent calls again (until the
 * approval expires), not at once when nobody waits for it.
 */
public record PolicyDecision(
        Effect effect,
        String rule,
        String policyVersion,
        String reason,
        List<String> approvers,
        int quorum,
        Duration timeout,
        Duration reminderAfter,
        boolean hold) {

    public enum Effect { ALLOW, DENY, APPROVE }

    public PolicyDecision {
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }
}
