package dev.countersign.approvals;

import dev.countersign.actions.ActionView;

/** The process's reminder timer fired and the request is still pending (job {@code countersign.remind}). */
public record ApprovalReminderDue(ActionView request) {
}
