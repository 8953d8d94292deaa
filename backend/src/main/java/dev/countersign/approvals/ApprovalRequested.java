package dev.countersign.approvals;

import dev.countersign.actions.ActionRequest;

/** The process asks that approvers be told about a request (job {@code countersign.notify}). */
public record ApprovalRequested(ActionRequest request) {
}
