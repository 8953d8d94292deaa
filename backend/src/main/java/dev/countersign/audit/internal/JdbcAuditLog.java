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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

@Component
class JdbcAuditLog implements AuditLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    JdbcAuditLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void record(String type, String actor, String requestId, Map<String, ?> data) {
        // The head row lock orders appends from every instance into one chain; it is held only until commit.
        var head = jdbc.sql("select seq, hash from audit_head where id = 1 for update")
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash"))).single();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String dataJson = CanonicalJson.canonicalize(json.writeValueAsString(data == null ? Map.of() : data));
        long seq = head.seq() + 1;
        String hash = hash(seq, at, type, actor, requestId, dataJson, head.hash());
        jdbc.sql("insert into audit_entry (seq, at, type, actor, request_id, data, prev_hash, hash) values (?,?,?,?,?,?,?,?)")
                .params(seq, Timestamp.from(at), type, actor, requestId, dataJson, head.hash(), hash).update();
        jdbc.sql("update audit_head set seq = ?, hash = ? where id = 1").params(seq, hash).update();
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
