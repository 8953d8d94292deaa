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
}
