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

    /**
     * Checks every checkpoint (its entry still carries the hash it had when it was verified) and recomputes the
     * entries after the newest one; a valid chain gets a checkpoint at its tip. Seconds for a day's log when
     * checkpoints are written every few minutes ({@code countersign.audit.checkpoint-every}).
     */
    Verification verify();

    /** Recomputes every entry from the first: what {@link #verify} trusts to checkpoints, checked again. */
    Verification verifyAll();

    /**
     * The result of checking the chain: valid, or the first entry whose hash does not hold.
     *
     * @param entries     how many entries the chain has up to the tip that was checked
     * @param recomputed  how many of them were recomputed (those after {@code fromSeq})
     * @param fromSeq     the checkpoint recomputation started from (0: the first entry)
     * @param checkpoints how many checkpoints were checked against their entries
     */
    record Verification(boolean valid, long entries, Long firstBrokenSeq, String problem, long recomputed, long fromSeq,
                        long checkpoints) {
    }
}
