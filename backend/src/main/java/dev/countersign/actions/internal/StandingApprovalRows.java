package dev.countersign.actions.internal;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Table {@code standing_approval}, part of the request's store. A use is one conditional update
 * that counts it only while the approval is active, unexpired, and has a use and budget left: the
 * row lock it takes makes racing asks count one after another, so exactly its count (or budget)
 * is spent, on every instance. Ending it is a conditional update from {@code ACTIVE} too.
 */
@Component
class StandingApprovalRows {

    /** One stored standing approval. {@code delegation}, {@code approvedBy} and {@code runtime} are JSON. */
    record Row(String id, String requestId, String agentId, String delegation, String rule, String approvers, String approvedBy,
               String toolGlob, BigDecimal amountAtMost, String currency, String environment, String resourcePattern, Integer maxUses,
               BigDecimal budget, int used, BigDecimal spent, String policyVersion, String catalogVersion, String runtime,
               Instant createdAt, Instant expiresAt, String status, Instant endedAt, String endedBy, String endReason) {
    }

    private static final String COLUMNS = """
            id, request_id, agent_id, delegation, rule_name, approvers, approved_by, tool_glob, amount_at_most, currency, environment,
            resource_pattern, max_uses, budget, used, spent, policy_version, catalog_version, runtime, created_at, expires_at, status,
            ended_at, ended_by, end_reason""";

    private final JdbcClient jdbc;

    StandingApprovalRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row row) {
        jdbc.sql("insert into standing_approval (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(row.id(), row.requestId(), row.agentId(), row.delegation(), row.rule(), row.approvers(), row.approvedBy(),
                        row.toolGlob(), row.amountAtMost(), row.currency(), row.environment(), row.resourcePattern(), row.maxUses(),
                        row.budget(), row.used(), row.spent(), row.policyVersion(), row.catalogVersion(), row.runtime(),
                        Timestamp.from(row.createdAt()), Timestamp.from(row.expiresAt()), row.status(), ts(row.endedAt()), row.endedBy(),
                        row.endReason())
                .update();
    }

    /** The agent's standing approvals still marked active, oldest first (the one given first is used first). */
    List<Row> activeOf(String agentId) {
        return jdbc.sql("select " + COLUMNS + " from standing_approval where agent_id = ? and status = 'ACTIVE' order by created_at, id")
                .param(agentId).query((rs, n) -> read(rs)).list();
    }

    /** Active ones of this agent, and of chains that name it (whichever agent of the chain asks). */
    List<Row> activeNaming(String agentId) {
        return jdbc.sql("select " + COLUMNS + " from standing_approval where status = 'ACTIVE' and (agent_id = ? or "
                        + dev.countersign.common.IdList.naming("delegation") + ") order by created_at, id")
                .params(agentId, dev.countersign.common.IdList.containing(agentId)).query((rs, n) -> read(rs)).list();
    }

    /** Active ones given under another policy (or catalog) version than this one. */
    List<Row> activeNotUnder(String column, String version) {
        if (!column.equals("policy_version") && !column.equals("catalog_version")) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.sql("select " + COLUMNS + " from standing_approval where status = 'ACTIVE' and " + column + " <> ? order by created_at, id")
                .param(version).query((rs, n) -> read(rs)).list();
    }

    Optional<Row> givenWith(String requestId) {
        return jdbc.sql("select " + COLUMNS + " from standing_approval where request_id = ?").param(requestId).query((rs, n) -> read(rs))
                .optional();
    }

    Optional<Row> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from standing_approval where id = ?").param(id).query((rs, n) -> read(rs)).optional();
    }

    List<Row> newest(boolean activeOnly, int limit) {
        return jdbc.sql("select " + COLUMNS + " from standing_approval" + (activeOnly ? " where status = 'ACTIVE'" : "")
                        + " order by created_at desc, id limit ?")
                .param(limit).query((rs, n) -> read(rs)).list();
    }

    /**
     * Counts one use of {@code amount} (zero for an ask without one; the caller never spends a budget on such an ask)
     * if the approval is still active, unexpired, and has a use and the budget left; false when it has not (another
     * ask took the last of it).
     */
    boolean use(String id, BigDecimal amount, Instant now) {
        return jdbc.sql("""
                        update standing_approval set used = used + 1, spent = spent + ?
                         where id = ? and status = 'ACTIVE' and expires_at > ?
                           and (max_uses is null or used < max_uses)
                           and (budget is null or spent + ? <= budget)""")
                .params(amount, id, Timestamp.from(now), amount)
                .update() == 1;
    }

    /** Marks it used up once its last use or the last of its budget is spent (by the use just counted). */
    void usedUpIfSo(String id, Instant now) {
        jdbc.sql("""
                        update standing_approval set status = 'USED_UP', ended_at = ?, end_reason = 'Used up'
                         where id = ? and status = 'ACTIVE' and ((max_uses is not null and used >= max_uses) or (budget is not null and spent >= budget))""")
                .params(Timestamp.from(now), id).update();
    }

    /** Ends an active one; false when it had already ended (each ending is recorded once). */
    boolean end(String id, String status, String by, String reason, Instant now) {
        return jdbc.sql("update standing_approval set status = ?, ended_at = ?, ended_by = ?, end_reason = ? where id = ? and status = 'ACTIVE'")
                .params(status, Timestamp.from(now), by, reason.length() > 2000 ? reason.substring(0, 1999) + "…" : reason, id)
                .update() == 1;
    }

    private static Row read(ResultSet rs) throws SQLException {
        int maxUses = rs.getInt("max_uses");
        Integer uses = rs.wasNull() ? null : maxUses;
        return new Row(rs.getString("id"), rs.getString("request_id"), rs.getString("agent_id"), rs.getString("delegation"),
                rs.getString("rule_name"), rs.getString("approvers"), rs.getString("approved_by"), rs.getString("tool_glob"),
                rs.getBigDecimal("amount_at_most"), rs.getString("currency"), rs.getString("environment"), rs.getString("resource_pattern"),
                uses, rs.getBigDecimal("budget"), rs.getInt("used"), rs.getBigDecimal("spent"), rs.getString("policy_version"),
                rs.getString("catalog_version"), rs.getString("runtime"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), rs.getString("status"), instant(rs.getTimestamp("ended_at")),
                rs.getString("ended_by"), rs.getString("end_reason"));
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
