package dev.countersign.actions;

/**
 * What ends a request: the outcome, who or what decided it, and why. Every decision, whether
 * made by policy at ask time, by approvers, by the expiry timer or by the agent withdrawing,
 * is one of these and goes through {@link ActionRequests#decide}.
 */
public record Verdict(ActionStatus outcome, DecidedBy by, String actor, String reason, String reasonCode) {

    public Verdict {
        if (outcome == null || outcome == ActionStatus.PENDING) {
            throw new IllegalArgumentException("a verdict leaves PENDING");
        }
    }

    public static Verdict expired() {
        return new Verdict(ActionStatus.EXPIRED, DecidedBy.TIMEOUT, "countersign", "Nobody decided before the approval timed out", "expired");
    }

    public static Verdict cancelled(String agent) {
        return new Verdict(ActionStatus.CANCELLED, DecidedBy.AGENT, agent, "Withdrawn by the agent", "cancelled");
    }
}
