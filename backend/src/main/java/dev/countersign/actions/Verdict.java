package dev.countersign.actions;

/**
 * What ends a request: the outcome, who or what decided it, and why. Every decision, whether
 * made by policy at ask time, by approvers, by the expiry timer or by the agent withdrawing,
 * is one of these, built by one of the factories below (the one place verdicts are made), and
 * goes through {@link ActionRequests#decide}.
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

    /** Policy allowed it at once. */
    public static Verdict allowedByPolicy(String reason) {
        return new Verdict(ActionStatus.APPROVED, DecidedBy.POLICY, "policy", reason, "policy_allowed");
    }

    /** Policy denied it at once. */
    public static Verdict deniedByPolicy(String reason) {
        return new Verdict(ActionStatus.DENIED, DecidedBy.POLICY, "policy", reason, "policy_denied");
    }

    /** The same action was denied or expired moments ago: denied again without asking anyone (the cool-down). */
    public static Verdict deniedAgain(String reason) {
        return new Verdict(ActionStatus.DENIED, DecidedBy.POLICY, "policy", reason, "recently_denied");
    }

    /** An approver said no: one DENY decides. */
    public static Verdict deniedBy(String approver, String comment) {
        return new Verdict(ActionStatus.DENIED, DecidedBy.APPROVERS, approver, "Denied by " + approver + ": " + comment, "denied_by_approver");
    }

    /** The vote that completed the quorum, cast by {@code approver}. */
    public static Verdict approvedByQuorum(String approver, int quorum, java.util.List<String> approvers) {
        return new Verdict(ActionStatus.APPROVED, DecidedBy.APPROVERS, approver,
                "Approved by " + quorum + " of " + String.join(", ", approvers), "approved_by_quorum");
    }

    /** People approved this and the next ones like it earlier: a standing approval covers it. */
    public static Verdict approvedByStanding(String standingApprovalId, String reason) {
        return new Verdict(ActionStatus.APPROVED, DecidedBy.STANDING_APPROVAL, "standing:" + standingApprovalId, reason, "standing_approval");
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
