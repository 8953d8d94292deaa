package dev.countersign.actions;

/** Published when a request leaves PENDING (or is decided at once by policy); exactly once per request. */
public record ActionDecided(String requestId, String agent, ActionStatus status, DecidedBy by, String actor) {
}
