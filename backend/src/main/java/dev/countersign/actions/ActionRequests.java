package dev.countersign.actions;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The actions module's API for the rest of Countersign (approvals, workflow, the console, Slack). */
public interface ActionRequests {

    Optional<ActionRequest> find(String id);

    /**
     * Every approver the action is done on behalf of: the {@code onBehalfOf} of the ask that
     * created it and of every ask that coalesced onto it (as approver ids). None may approve it.
     */
    List<String> subjects(String id);

    /** Only the status: cheaper than {@link #find} where nothing else is needed. */
    Optional<ActionStatus> status(String id);

    /**
     * Reads a request, with its votes, holding its row lock until the transaction ends, so that
     * votes on one request are counted one after another on every instance.
     */
    Optional<Locked> lock(String id);

    /** A request read under its row lock in the caller's transaction: the aggregate a vote is cast on. */
    interface Locked {

        /** As it was read, with every vote it has: nobody else can add one until the transaction ends. */
        ActionRequest request();

        /**
         * Counts the vote (one per approver: the primary key refuses a second) and, when it is a DENY or completes the
         * quorum ({@link ActionRequest#verdictAfter}), decides the request in this transaction. Returns the request as it
         * now is, without its grant. Who may cast it is the caller's rule (the approvals module's), checked before.
         */
        default ActionRequest cast(String approver, Vote vote, String comment, Channel via) {
            return cast(approver, vote, comment, via, null);
        }

        /**
         * The same, with the terms of a standing approval the approver proposes with an APPROVE ("this and the next ones
         * like it"): checked against the rule's caps ({@code 422} when they do not hold), and given when every approving
         * vote of the quorum proposed the same.
         */
        ActionRequest cast(String approver, Vote vote, String comment, Channel via, StandingTerms standing);
    }

    /**
     * The one way a PENDING request is decided: a conditional update, so of any number of
     * concurrent deciders exactly one wins and gets the decided request; the others get empty
     * and change nothing. The winner's transaction also holds the audit entry, the grant (for
     * an approval) and {@link ActionDecided}. Returned without its grant.
     */
    Optional<ActionRequest> decide(String id, Verdict verdict);

    /** Requests that still await approval and were created before the instant, oldest first. */
    List<AwaitingApproval> awaitingSince(Instant createdBefore);

    /** Those of {@code ids} that are decided, and were decided before {@code decidedBefore}. */
    List<String> decidedAmong(Collection<String> ids, Instant decidedBefore);

    /** Requests one of {@code principals} may vote on, newest first, after the cursor. */
    List<ActionRequest> forApprover(Collection<String> principals, ActionStatus status, Cursor after, int limit);

    /** Requests matching the search, newest first, after the cursor: one page, never the whole table. */
    List<ActionRequest> search(Search search, Cursor after, int limit);

    /** How many requests match the search (the same conditions as {@link #search}). */
    long count(Search search);

    /** Earlier, finished requests for the same action, newest first. */
    List<ActionRequest> history(String actionHash, String excludingId, int limit);

    /**
     * What to look for; null fields match anything. {@code visibleTo} limits the result to requests
     * these principals may vote on (null: every request, for admins). {@code text} matches the
     * request id exactly, or part of the tool, agent, resource or justification.
     */
    record Search(Collection<String> visibleTo, ActionStatus status, String tool, String agent, String category,
                  String environment, String text) {

        public static Search all() {
            return new Search(null, null, null, null, null, null, null);
        }
    }

    /** A keyset position in newest-first order. */
    record Cursor(Instant createdAt, String id) {
    }
}
