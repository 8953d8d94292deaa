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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

@Component
class JdbcAuditLog implements AuditLog {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;
    private final Clock clock;

    JdbcAuditLog(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void record(String type, String actor, String requestId, Map<String, ?> data) {
        String dataJson = CanonicalJson.canonicalize(json.writeValueAsString(data == null ? Map.of() : data));
        pending().add(new Pending(type, actor, requestId, dataJson));
    }

    /**
     * Entries of one transaction are chained just before it commits, all at once. The chain's tip
     * is a single row, so its lock orders appends from every instance; taking it at the last
     * moment keeps it for the flush and the commit only, not for the whole transaction. The buffer
     * is a synchronization of the transaction, so a nested REQUIRES_NEW transaction gets its own.
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
            owner.append(entries);
        }
    }

    private void append(List<Pending> entries) {
        if (entries.isEmpty()) {
            return;
        }
        var head = jdbc.sql("select seq, hash from audit_head where id = 1 for update")
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash"))).single();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long seq = head.seq();
        String prev = head.hash();
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Pending entry : entries) {
            seq++;
            String hash = hash(seq, at, entry.type(), entry.actor(), entry.requestId(), entry.dataJson(), prev);
            rows.add(new Object[] {seq, Timestamp.from(at), entry.type(), entry.actor(), entry.requestId(), entry.dataJson(), prev, hash});
            prev = hash;
        }
        batch.batchUpdate("insert into audit_entry (seq, at, type, actor, request_id, data, prev_hash, hash) values (?,?,?,?,?,?,?,?)", rows);
        jdbc.sql("update audit_head set seq = ?, hash = ? where id = 1").params(seq, prev).update();
        entries.clear();
    }

    private record Pending(String type, String actor, String requestId, String dataJson) {
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
    @Transactional(readOnly = true)
    public List<AuditEntry> entries(long afterSeq, int limit) {
        return jdbc.sql("select * from audit_entry where seq > ? order by seq limit ?").params(afterSeq, limit)
                .query(JdbcAuditLog::entry).list();
    }

    @Override
    @Transactional(readOnly = true)
    public List<AuditEntry> entriesFor(String requestId) {
        return jdbc.sql("select * from audit_entry where request_id = ? order by seq").param(requestId)
                .query(JdbcAuditLog::entry).list();
    }

    @Override
    @Transactional(readOnly = true)
    public List<AuditEntry> newest(long beforeSeq, int limit) {
        return jdbc.sql("select * from audit_entry where seq < ? order by seq desc limit ?").params(beforeSeq, limit)
                .query(JdbcAuditLog::entry).list();
    }

    @Override
    @Transactional(readOnly = true)
    public Verification verify() {
        String expectedPrev = jdbc.sql("select hash from audit_head where id = 1").query(String.class).single();
        long count = 0;
        String prev = "0".repeat(64);
        long after = 0;
        List<AuditEntry> page;
        do {
            page = entries(after, 1000);
            for (AuditEntry e : page) {
                if (e.seq() != count + 1) {
                    return new Verification(false, count, e.seq(), "sequence gap before entry " + e.seq());
                }
                if (!e.prevHash().equals(prev)) {
                    return new Verification(false, count, e.seq(), "prevHash does not match the previous entry's hash");
                }
                if (!hash(e.seq(), e.at(), e.type(), e.actor(), e.requestId(), e.data(), e.prevHash()).equals(e.hash())) {
                    return new Verification(false, count, e.seq(), "hash does not match the entry's content");
                }
                prev = e.hash();
                count++;
                after = e.seq();
            }
        } while (!page.isEmpty());
        if (!prev.equals(expectedPrev)) {
            return new Verification(false, count, count + 1, "entries after " + count + " are missing (chain tip does not match)");
        }
        return new Verification(true, count, null, null);
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getTimestamp("at").toInstant(), rs.getString("type"), rs.getString("actor"),
                rs.getString("request_id"), rs.getString("data"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private record Head(long seq, String hash) {
    }
}
