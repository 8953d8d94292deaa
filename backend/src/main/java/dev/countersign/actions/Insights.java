package dev.countersign.actions;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What helps an approver decide in seconds, read from the requests themselves: what is unusual about a request, the
 * last one like it that people approved (to show what changed), and how many approvals each approver gave lately
 * (the fatigue guard).
 */
public interface Insights {

    /** Agents that ask this many times for one tool within {@code countersign.policy.asked-window} are "asking in a burst". */
    int BURST = 5;

    /** What is unusual about the request, most telling first; empty when nothing is. */
    List<Unusual> unusual(ActionRequest request);

    /** The newest request of the same agent and tool that people or policy approved before this one was asked. */
    Optional<ActionRequest> lastApproved(ActionRequest request);

    /** How many requests {@code approver} approved since {@code since} (votes, not decisions). */
    long approvalsBy(String approver, Instant since);

    /** Approvals per approver since {@code since}, most first: the admins' view of who carries the load. */
    Map<String, Long> approvalsPerApprover(Instant since);

    /**
     * One thing out of the ordinary. {@code code}: {@code first_tool}, {@code first_payee}, {@code amount_above_usual},
     * {@code runtime_changed}, {@code burst}; {@code text}: the sentence approvers read.
     */
    record Unusual(String code, String text) {
    }
}
