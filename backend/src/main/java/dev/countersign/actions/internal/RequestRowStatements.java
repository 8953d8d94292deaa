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

    /** Stores a new row in the caller's transaction. */
    void insert(ActionRequestRow row);

    /** The conditional update that decides a PENDING request: of concurrent callers exactly one gets true. */
    boolean decide(String id, Verdict verdict, Instant at);

    /** A counted vote changed the request: its {@code updated_at}. */
    void touch(String id, Instant at);
}
