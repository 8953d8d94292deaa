package dev.countersign.actions;

import java.util.List;

/** A standing approval stopped applying before it was used up or expired: revoked, or voided by a change. Its approvers are told. */
public record StandingApprovalEnded(String id, String status, String reason, String agent, List<String> approvedBy) {
}
