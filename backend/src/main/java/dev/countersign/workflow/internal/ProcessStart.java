package dev.countersign.workflow.internal;

import dev.countersign.actions.AwaitingApproval;
import java.time.Duration;
import java.time.Instant;

/**
 * What a process needs to start: the id and two instants; the database holds the request itself.
 * Absolute times, so that a process started late (re-delivered after a crash, reconciler) still
 * reminds and expires when the request says.
 */
public record ProcessStart(String requestId, String processId, Instant expiresAt, Instant remindAt) {

    public static final String GUARDED_ACTION = "guarded-action";

    /**
     * BPMN timers need a date: a request without a reminder gets one a day past its expiry, which
     * the interrupting expiry timer always cancels first.
     */
    static ProcessStart of(AwaitingApproval awaiting, String processId) {
        Instant remindAt = awaiting.remindAt() != null ? awaiting.remindAt() : awaiting.expiresAt().plus(Duration.ofDays(1));
        return new ProcessStart(awaiting.requestId(), processId, awaiting.expiresAt(), remindAt);
    }
}
