package dev.countersign.actions;

/**
 * Published when a request is stored, whatever policy said, inside the storing transaction.
 * {@code rule}: the policy rule that decided it or sent it to people. {@code awaiting} is set when approvers must decide: the
 * approval process starts from it.
 */
public record ActionRequested(String requestId, String agent, String tool, String rule, ActionStatus status, AwaitingApproval awaiting) {
}
