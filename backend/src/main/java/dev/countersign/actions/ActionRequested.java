package dev.countersign.actions;

/** Published when a request is stored, whatever policy said. */
public record ActionRequested(String requestId, String agent, String tool, ActionStatus status, java.util.List<String> approvers) {
}
