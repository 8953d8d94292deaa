package dev.countersign.actions;

import java.time.Instant;

/**
 * A request that waits for approvers: what its approval process needs to run. Absolute times, so
 * that a process started late (after a crash, by the reconciler) still reminds and expires when
 * the request says. {@code remindAt} is null when the rule sets no reminder.
 */
public record AwaitingApproval(String requestId, String rule, Instant expiresAt, Instant remindAt) {
}
