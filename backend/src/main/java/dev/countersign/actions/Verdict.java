package dev.countersign.actions;

/**
 * What ends a request: the outcome, who or what decided it, and why. Every decision, whether
 * made by policy at ask time, by approvers, by the expiry timer or by the agent withdrawing,
 * is one of these and goes through {@link ActionRequests#decide}.
 */
public record Verdict(ActionStatus outcome, DecidedBy by, String actor, String reason, String reasonCode) {

    /** What the stored reason holds; longer reasons (a long comment quoted in a denial) are cut with an ellipsis. */
    public static final int REASON_LENGTH = 2000;

    public Verdict {
        if (outcome == null || outcome == ActionStatus.PENDING) {
            throw new IllegalArgumentException("a verdict leaves PENDING");
        }
        if (reason != null && reason.codePointCount(0, reason.length()) > REASON_LENGTH) {
            // The whole text stays where it came from (a vote keeps its comment); the decision records a readable head of it.
            reason = reason.substring(0, reason.offsetByCodePoints(0, REASON_LENGTH - 1)) + "…";
        }
    }

    public static Verdict expired() {
        return new Verdict(ActionStatus.EXPIRED, DecidedBy.TIMEOUT, "countersign", "Nobody decided before the approval timed out", "expired");
    }

    /** The agent was switched off while the request waited: nobody may approve it any more. */
    public static Verdict agentSwitchedOff(String agent, String admin) {
        return new Verdict(ActionStatus.CANCELLED, DecidedBy.ADMIN, admin, "Cancelled: " + admin + " switched agent '" + agent + "' off",
                "agent_disabled");
    }

    public static Verdict cancelled(String agent) {
        return new Verdict(ActionStatus.CANCELLED, DecidedBy.AGENT, agent, "Withdrawn by the agent", "cancelled");
    }
}
