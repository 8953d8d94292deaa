package dev.countersign.policy;

import java.util.Optional;

/** The active runtime policy. First matching rule wins; nothing matching means one admin must approve (fail closed). */
public interface Policy {

    PolicyDecision evaluate(ActionFacts action);

    /**
     * Whether a rule that could match this action (its {@code match} holds) reads the agent's
     * history ({@code agent.approvedToday}, {@code session}): then the asker serialises the
     * agent's asks, reads the history and passes it in {@link ActionFacts#history()}. Actions no
     * such rule could match never wait. Without the history those values are absent, and a rule
     * that reads them anyway fails closed.
     */
    boolean readsHistory(ActionFacts action);

    /** Content hash of the active policy, recorded with every decision it makes. */
    String version();

    /**
     * Where Slack should ask for approvals under this rule, when the rule says. Looked up when the
     * approvers are notified, so moving a channel in the policy also moves pending requests' messages.
     */
    Optional<SlackRoute> slackRoute(String ruleName);

    /**
     * The BPMN process a rule names for its approvals ({@code process:}), when it names one; the
     * built-in {@code guarded-action} otherwise. Custom models keep the contract in README "Camunda 8".
     */
    Optional<String> processFor(String ruleName);

    /**
     * Whether a rule lets approvers give standing approvals ({@code standing:} in the rule), and its caps; empty when
     * it does not (the default: no rule allows them unless it says so).
     */
    Optional<StandingCap> standingCap(String ruleName);

    /**
     * Whether votes under a rule need a fresh sign-in ({@code stepUp: {maxAge: 5m}}): how recent the approver's
     * sign-in must be. Such votes count only from the console or from an API token issued within it, never from Slack.
     * Read from the policy in force when the vote is cast, so tightening a rule covers requests already pending.
     */
    Optional<java.time.Duration> stepUp(String ruleName);

    /** Whether approvers may approve look-alike pending asks under a rule together ({@code groupApproval: true}); denying together is always allowed. */
    boolean approvesInGroups(String ruleName);

    /** The policy's source text, for admins to read. */
    String source();
}
