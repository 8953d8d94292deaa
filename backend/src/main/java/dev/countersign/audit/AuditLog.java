package dev.countersign.audit;

import java.util.List;
import java.util.Map;

/**
 * Appends to and reads the audit chain. An append joins the caller's transaction and is chained
 * when it commits: a rolled-back action leaves no trace and no gap.
 */
public interface AuditLog {

    void record(String type, String actor, String requestId, Map<String, ?> data);

    List<AuditEntry> entries(long afterSeq, int limit);

    /** One request's entries in the order they happened: its timeline. */
    List<AuditEntry> entriesFor(String requestId);

    /** Newest first, each page before {@code beforeSeq} ({@link Long#MAX_VALUE} for the first page). */
    List<AuditEntry> newest(long beforeSeq, int limit);

    Verification verify();

    /** The result of recomputing the chain: valid, or the first entry whose hash does not hold. */
    record Verification(boolean valid, long entries, Long firstBrokenSeq, String problem) {
    }
}
