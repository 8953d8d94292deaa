package dev.countersign.actions.internal;

import dev.countersign.actions.Verdict;
import java.time.Instant;
import java.util.Optional;

/**
 * The request store's measured hot paths, in plain SQL, as a fragment of
 * {@link ActionRequestRepository}: the one seam through which the requests' table is written and
 * read outside JPA. Each replaced a JPA path that JFR showed to be the largest part of its call's
 * own CPU (notes on each method of {@link RequestRowStatementsImpl}).
 */
interface RequestRowStatements {

    /** The stored row, outside the persistence context (the reads agents repeat: a replay, a GET, a long-poll's answer). */
    Optional<ActionRequestRow> row(String id);

    /** The row, locked until the caller's transaction ends: votes on one request count one after another, on every instance. */
    Optional<ActionRequestRow> locked(String id);

    /** Stores a new row in the caller's transaction. */
    void insert(ActionRequestRow row);

    /** The conditional update that decides a PENDING request: of concurrent callers exactly one gets true. */
    boolean decide(String id, Verdict verdict, Instant at);

    /** A counted vote changed the request: its {@code updated_at}. */
    void touch(String id, Instant at);

    /** Claims the agent's Idempotency-Key for the request; its primary key decides concurrent retries. */
    void claimKey(String agentId, String key, String fingerprint, String requestId, Instant at);

    /** The request awaits approval: this primary key makes identical concurrent asks coalesce onto it. */
    void holdPending(String agentId, String actionHash, String requestId);

    /** The request was decided: the next identical ask is a new one. */
    void releasePending(String requestId);

    /** The principals (approvers or groups) the request asks, one row each, for the approvers' inbox. */
    void addApprovers(String requestId, java.util.List<String> principals);

    /** Someone the action is done on behalf of: they may not approve it (kept once). */
    void addSubject(String requestId, String subject);

    /** Everyone the action is done on behalf of, by approver id. */
    java.util.List<String> subjects(String requestId);

    /** Only the status: cheaper than reading the row. */
    Optional<dev.countersign.actions.ActionStatus> status(String id);

    /** Those of {@code ids} that are decided, and were decided before {@code before}. */
    java.util.List<String> decidedAmong(java.util.Collection<String> ids, Instant before);

    /** Records the standing approval a decision cites (the one that approved it, or the one its approval gave). */
    void citeStanding(String requestId, String standingApprovalId);

    /** What the agent ran as (stored JSON) when it asked for its latest request that people approved, if it said. */
    java.util.Optional<String> lastApprovedRuntime(String agentId);

    /** The agent's requests that still await a decision, and those asked down a delegation chain that names it. */
    java.util.List<String> pendingOf(String agentId);

    /** The traceparent stored with the request's ask (empty when tracing was off, or no such request). */
    Optional<String> traceParentOf(String id);

    /** How many requests wait for people now, by the rule that sent them (for the pending gauge). */
    java.util.Map<String, Long> pendingByRule();

    /** Up to {@code limit} decided requests decided before {@code before}, oldest first. */
    java.util.List<String> decidedBefore(Instant before, int limit);

    /**
     * Deletes these (decided) requests with their keys, coalescing rows, approvers and subjects, in the caller's
     * transaction; returns how many requests went.
     */
    int purge(java.util.List<String> ids);

    /** Deletes Idempotency-Keys claimed before the instant; returns how many. */
    int forgetKeysBefore(Instant before);
}
