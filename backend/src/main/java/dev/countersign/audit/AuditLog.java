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

    Verification verify();

    /** The result of recomputing the chain: valid, or the first entry whose hash does not hold. */
    record Verification(boolean valid, long entries, Long firstBrokenSeq, String problem) {
    }
}
