package dev.countersign.actions;

/**
 * Published exactly once per request, inside the deciding transaction, when it leaves PENDING or
 * is decided the moment it arrives. Listeners that must hold with the decision (the grant) react
 * synchronously; the rest after commit. {@code tool} and {@code actionHash} are what a grant
 * binds; {@code awaitedApproval} says whether a process may be waiting to hear of it; {@code holdUntil}, for a rule
 * that holds an approved call until the agent calls again, how long its grant must last (else null).
 */
public record ActionDecided(String requestId, String agent, String tool, String actionHash, ActionStatus status, DecidedBy by,
                            String actor, boolean awaitedApproval, java.time.Instant holdUntil) {
}
