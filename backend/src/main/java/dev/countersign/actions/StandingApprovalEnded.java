package dev.countersign.actions;

import java.util.List;

/**
 * A standing approval ended before it was used up: revoked, voided by a change, or expired. {@code requestId}: the request
 * whose approval gave it. Its approvers are told (the log, and Slack when it is configured).
 */
public record StandingApprovalEnded(String id, String requestId, String status, String reason, String agent, List<String> approvedBy) {
}
