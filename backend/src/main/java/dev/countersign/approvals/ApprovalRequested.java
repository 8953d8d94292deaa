package dev.countersign.approvals;

import dev.countersign.actions.ActionView;

/** The process asks that approvers be told about a request (job {@code countersign.notify}). */
public record ApprovalRequested(ActionView request) {
}
