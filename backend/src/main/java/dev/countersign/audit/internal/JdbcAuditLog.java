package dev.countersign.audit.internal;

import dev.countersign.audit.AuditEntry;
import dev.countersign.audit.AuditLog;
import dev.countersign.common.CanonicalJson;
import dev.countersign.common.Sha256;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit chain in two steps. An entry is written with its transaction (a rolled-back action
 * leaves no trace), unchained; right after commit, a chainer gives the waiting entries their
 * {@code seq} and hashes, in batches, holding the chain's tip ({@code audit_head}) only for that.
 * Before, every audited transaction of every instance held the tip's lock through its own commit,
 * so all writes queued on one row. Readers chain what is waiting first, so they see every entry
 * committed before they read, in chain order.
 */
@Component
class JdbcAuditLog implements AuditLog {

    /** Entries chained per transaction of the chainer. */
    static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;
    private final Semaphore chainSoon = new Semaphore(0);

    JdbcAuditLog(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    @Transactional
    public void record(String type, String actor, String requestId, Map<String, ?> data) {
        String dataJson = CanonicalJson.canonicalize(json.writeValueAsString(data == null ? Map.of() : data));
        pending().add(new Pending(type, actor, requestId, dataJson));
    }

    /**
     * Entries of one transaction are written just before it commits, all at once. The buffer is a
     * synchronization of the transaction, so a nested REQUIRES_NEW transaction gets its own.
     */
    private List<Pending> pending() {
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof Flush flush && flush.owner() == this) {
                return flush.entries();
            }
        }
        var flush = new Flush(this, new ArrayList<>());
        TransactionSynchronizationManager.registerSynchronization(flush);
        return flush.entries();
    }

    private record Flush(JdbcAuditLog owner, List<Pending> entries) implements TransactionSynchronization {

        @Override
        public void beforeCommit(boolean readOnly) {
            owner.write(entries);
        }

        @Override
        public void afterCommit() {
            owner.chainSoon.release();
        }
    }

    private void write(List<Pending> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Timestamp at = Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Pending entry : entries) {
            rows.add(new Object[] {at, entry.type(), entry.actor(), entry.requestId(), entry.dataJson()});
        }
        batch.batchUpdate("insert into audit_entry (at, type, actor, request_id, data) values (?,?,?,?,?)", rows);
        entries.clear();
    }

    /** Waits until an audited transaction committed here, or {@code timeout} (for entries other instances left). */
    void awaitWork(java.time.Duration timeout) throws InterruptedException {
        chainSoon.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        chainSoon.drainPermits();
    }

    /**
     * Chains every entry committed so far, whichever instance wrote it. Nothing waiting (every
     * sweep when idle, most reads): one indexed look and no lock on the tip.
     */
    void chain() {
        boolean more = anyUnchained();
        while (more) {
            // A full batch: there may be more.
            more = ownTransaction.execute(status -> chainBatch()) == BATCH && anyUnchained();
        }
    }

    private boolean anyUnchained() {
        return !jdbc.sql("select id from audit_entry where seq is null limit 1").query(Long.class).list().isEmpty();
    }

    private int chainBatch() {
        var head = jdbc.sql("select seq, hash from audit_head where id = 1 for update").query(HEAD).single();
        List<Unchained> waiting = jdbc.sql("select id, at, type, actor, request_id, data from audit_entry where seq is null order by id limit ?")
                .param(BATCH)
                .query((rs, n) -> new Unchained(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("type"), rs.getString("actor"),
                        rs.getString("request_id"), rs.getString("data"))).list();
        if (waiting.isEmpty()) {
            // Another chainer took them between the look and the lock.
            return 0;
        }
        long seq = head.seq();
        String prev = head.hash();
        List<Object[]> rows = new ArrayList<>(waiting.size());
        for (Unchained entry : waiting) {
            seq++;
            String hash = hash(seq, entry.at(), entry.type(), entry.actor(), entry.requestId(), entry.data(), prev);
            rows.add(new Object[] {seq, prev, hash, entry.id()});
            prev = hash;
        }
        batch.batchUpdate("update audit_entry set seq = ?, prev_hash = ?, hash = ? where id = ?", rows);
        jdbc.sql("update audit_head set seq = ?, hash = ? where id = 1").params(seq, prev).update();
        return waiting.size();
    }

    private record Pending(String type, String actor, String requestId, String dataJson) {
    }

    /** An entry written by its transaction and not chained yet. */
    private record Unchained(long id, Instant at, String type, String actor, String requestId, String data) {
    }

    private String hash(long seq, Instant at, String type, String actor, String requestId, String dataJson, String prevHash) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("seq", seq);
        content.put("at", at.toString());
        content.put("type", type);
        content.put("actor", actor);
        content.put("requestId", requestId);
        content.put("data", dataJson);
        return Sha256.hex(prevHash + CanonicalJson.canonicalize(json.writeValueAsString(content)));
    }

    @Override
    public List<AuditEntry> entries(long afterSeq, int limit) {
        chain();
        return jdbc.sql("select * from audit_entry where seq > ? order by seq limit ?").params(afterSeq, limit)
                .query(JdbcAuditLog::entry).list();
    }

    @Override
    public List<AuditEntry> entriesFor(String requestId) {
        chain();
        return jdbc.sql("select * from audit_entry where request_id = ? and seq is not null order by seq").param(requestId)
                .query(JdbcAuditLog::entry).list();
    }

    @Override
    public List<AuditEntry> newest(long beforeSeq, int limit) {
        chain();
        return jdbc.sql("select * from audit_entry where seq < ? order by seq desc limit ?").params(beforeSeq, limit)
                .query(JdbcAuditLog::entry).list();
    }

    @Override
    public Verification verify() {
        return verify(false);
    }

    @Override
    public Verification verifyAll() {
        return verify(true);
    }

    /**
     * Up to the tip as read first (the chainer commits entries and tip together, so entries chained while this runs lie
     * beyond it and are left for next time): every checkpoint checked against its entry, then the entries after the
     * newest checkpoint recomputed from its hash ({@code all}: from the first entry). A valid chain is checkpointed.
     */
    private Verification verify(boolean all) {
        chain();
        var tip = jdbc.sql("select seq, hash from audit_head where id = 1").query(HEAD).single();
        List<Checkpoint> checkpoints = jdbc.sql("""
                        select c.seq, c.hash, c.verified_at, e.hash as entry_hash from audit_checkpoint c
                        left join audit_entry e on e.seq = c.seq where c.seq <= ? order by c.seq""").param(tip.seq())
                .query((rs, n) -> new Checkpoint(rs.getLong("seq"), rs.getString("hash"), rs.getTimestamp("verified_at").toInstant(),
                        rs.getString("entry_hash"))).list();
        for (Checkpoint checkpoint : checkpoints) {
            if (!checkpoint.hash().equals(checkpoint.entryHash())) {
                return new Verification(false, tip.seq(), checkpoint.seq(), "entry " + checkpoint.seq() + " no longer has the hash it had "
                        + "when it was verified at " + checkpoint.verifiedAt() + ": it or entries before it were changed", 0, 0, checkpoints.size());
            }
        }
        Checkpoint from = all || checkpoints.isEmpty() ? null : checkpoints.getLast();
        long count = from == null ? 0 : from.seq();
        String prev = from == null ? "0".repeat(64) : from.hash();
        long start = count;
        List<AuditEntry> page;
        do {
            page = jdbc.sql("select * from audit_entry where seq > ? and seq <= ? order by seq limit 1000").params(count, tip.seq())
                    .query(JdbcAuditLog::entry).list();
            for (AuditEntry e : page) {
                String problem = e.seq() != count + 1 ? "sequence gap before entry " + e.seq()
                        : !e.prevHash().equals(prev) ? "prevHash does not match the previous entry's hash"
                        : !hash(e.seq(), e.at(), e.type(), e.actor(), e.requestId(), e.data(), e.prevHash()).equals(e.hash())
                        ? "hash does not match the entry's content" : null;
                if (problem != null) {
                    return new Verification(false, tip.seq(), e.seq(), problem, count - start, start, checkpoints.size());
                }
                prev = e.hash();
                count++;
            }
        } while (!page.isEmpty());
        if (!prev.equals(tip.hash())) {
            return new Verification(false, tip.seq(), count + 1, "entries after " + count + " are missing (chain tip does not match)",
                    count - start, start, checkpoints.size());
        }
        if (tip.seq() > start) {
            try {
                jdbc.sql("insert into audit_checkpoint (seq, hash, verified_at) select ?, ?, ? where not exists "
                                + "(select 1 from audit_checkpoint where seq = ?)")
                        .params(tip.seq(), tip.hash(), Timestamp.from(clock.instant()), tip.seq()).update();
            } catch (org.springframework.dao.DuplicateKeyException sameTipAtOnce) {
                // Another verification checkpointed the same tip at the same moment: the primary key keeps one.
            }
        }
        return new Verification(true, tip.seq(), null, null, count - start, start, checkpoints.size());
    }

    private record Checkpoint(long seq, String hash, Instant verifiedAt, String entryHash) {
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getTimestamp("at").toInstant(), rs.getString("type"), rs.getString("actor"),
                rs.getString("request_id"), rs.getString("data"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private record Head(long seq, String hash) {
    }

    private static final RowMapper<Head> HEAD = (rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash"));
}
