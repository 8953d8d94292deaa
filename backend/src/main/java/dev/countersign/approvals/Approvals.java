package dev.countersign.approvals;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.identity.Caller;
import java.util.Optional;

/** The one rule book for votes, whichever channel they come through. */
public interface Approvals {

    /**
     * Counts the approver's vote and decides the request when it is a DENY or completes the
     * quorum. Refusals are {@link dev.countersign.common.ApiProblem}s with the contract's codes.
     */
    ActionRequest vote(Caller.Approver approver, String requestId, Vote vote, String comment, Channel channel);

    /**
     * The same, approving "this and the next ones like it" within {@code standing}'s terms: a standing approval is given
     * when every approving vote of the quorum proposed the same terms, and its rule allows them.
     */
    ActionRequest vote(Caller.Approver approver, String requestId, Vote vote, String comment, Channel channel,
                       dev.countersign.actions.StandingTerms standing);

    /** Why this approver cannot vote on this request now, or empty if they can. */
    Optional<String> whyNot(Caller.Approver approver, ActionRequest request);

    boolean isEligible(Caller.Approver approver, ActionRequest request);

    /** How recent a sign-in must be for an approval of this request to count ({@code stepUp} of its rule); empty: any. */
    Optional<java.time.Duration> stepUp(ActionRequest request);

    /**
     * Whether the approver approved so many requests lately ({@code countersign.approvals.fatigue}) that their next
     * approval needs a comment.
     */
    boolean isTired(Caller.Approver approver);

    /** What the approver reads first about a request: the tool in words, what is unusual, step-up, group approval. */
    Brief brief(ActionRequest request);
}
