package dev.countersign.approvals;

import dev.countersign.actions.ActionRequest;

/** The process's reminder timer fired and the request is still pending (job {@code countersign.remind}). */
public record ApprovalReminderDue(ActionRequest request) {
}
