package dev.countersign.actions.internal;

import dev.countersign.actions.Verdict;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link RequestRowStatements} on {@link JdbcClient}. Updates are not JPQL bulk updates: Hibernate
 * translated those to SQL again on every call, about half of what deciding cost apart from the
 * grant (JFR, votes on the jar). As {@code @Modifying(flushAutomatically, clearAutomatically)} did,
 * pending JPA changes are written first and the persistence context is cleared after, so that a
 * later read in the same transaction sees the updated row.
 */
class RequestRowStatementsImpl implements RequestRowStatements {

    /** The transaction's persistence context, as Spring Data gives it to a repository fragment (not a constructor bean). */
    @jakarta.persistence.PersistenceContext
    private EntityManager entities;
    private final JdbcClient jdbc;

    RequestRowStatementsImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ActionRequestRow> row(String id) {
        return ActionRequestRow.find(jdbc, id);
    }

    @Override
    public Optional<ActionRequestRow> locked(String id) {
        // The entity loader by id, not a JPQL query with a lock mode (Spring Data's @Lock @Query). On the PostgreSQL
        // benchmark the query took 3.3 times as long as the plain read by id of the same row later in the vote; the
        // loader 2.2 times (what remains is being the transaction's first statement).
        return Optional.ofNullable(entities.find(ActionRequestRow.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    @Override
    public void insert(ActionRequestRow row) {
        row.insert(jdbc);
    }

    @Override
    public boolean decide(String id, Verdict verdict, Instant at) {
        return update("""
                        update action_request
                           set status = ?, decided_by = ?, decision_reason = ?, reason_code = ?, decided_at = ?, updated_at = ?
                         where id = ? and status = 'PENDING'""",
                verdict.outcome().name(), verdict.by().name(), verdict.reason(), verdict.reasonCode(), Timestamp.from(at),
                Timestamp.from(at), id) == 1;
    }

    @Override
    public void touch(String id, Instant at) {
        update("update action_request set updated_at = ? where id = ?", Timestamp.from(at), id);
    }

    @Override
    public void claimKey(String agentId, String key, String fingerprint, String requestId, Instant at) {
        jdbc.sql("insert into idempotency_key (agent_id, idem_key, fingerprint, request_id, created_at) values (?,?,?,?,?)")
                .params(agentId, key, fingerprint, requestId, Timestamp.from(at)).update();
    }

    @Override
    public void holdPending(String agentId, String actionHash, String requestId) {
        jdbc.sql("insert into pending_action (agent_id, action_hash, request_id) values (?, ?, ?)").params(agentId, actionHash, requestId)
                .update();
    }

    @Override
    public void releasePending(String requestId) {
        jdbc.sql("delete from pending_action where request_id = ?").param(requestId).update();
    }

    @Override
    public void addApprovers(String requestId, java.util.List<String> principals) {
        principals.forEach(principal -> jdbc.sql("insert into action_request_approver (request_id, principal) values (?, ?)")
                .params(requestId, principal).update());
    }

    @Override
    public void addSubject(String requestId, String subject) {
        jdbc.sql("insert into action_request_subject (request_id, subject) select ?, ? where not exists "
                        + "(select 1 from action_request_subject where request_id = ? and subject = ?)")
                .params(requestId, subject, requestId, subject).update();
    }

    @Override
    public java.util.List<String> subjects(String requestId) {
        return jdbc.sql("select subject from action_request_subject where request_id = ? order by subject").param(requestId)
                .query(String.class).list();
    }

    @Override
    public Optional<dev.countersign.actions.ActionStatus> status(String id) {
        return jdbc.sql("select status from action_request where id = ?").param(id).query(String.class).optional()
                .map(dev.countersign.actions.ActionStatus::valueOf);
    }

    @Override
    public java.util.List<String> decidedAmong(java.util.Collection<String> ids, Instant before) {
        if (ids.isEmpty()) {
            return java.util.List.of();
        }
        return jdbc.sql("select id from action_request where id in (:ids) and status <> 'PENDING' and decided_at <= :before")
                .param("ids", java.util.List.copyOf(ids)).param("before", Timestamp.from(before))
                .query(String.class).list();
    }

    @Override
    public void citeStanding(String requestId, String standingApprovalId) {
        jdbc.sql("update action_request set standing_approval_id = ? where id = ?").params(standingApprovalId, requestId).update();
    }

    @Override
    public java.util.Optional<String> lastApprovedRuntime(String agentId) {
        // Newest first along (agent_id, decided_at); only requests people approved: what a person saw and said yes to.
        return jdbc.sql("""
                        select runtime from action_request
                         where agent_id = ? and status = 'APPROVED' and decided_by = 'APPROVERS' and runtime is not null
                         order by decided_at desc limit 1""")
                .param(agentId).query(String.class).optional();
    }

    @Override
    public java.util.List<String> pendingOf(String agentId) {
        // Also every request asked down a delegation chain that names the agent: its token is dead with it.
        return jdbc.sql("select id from action_request where status = 'PENDING' and (agent_id = ? or "
                        + dev.countersign.common.IdList.naming("delegation") + ")")
                .params(agentId, dev.countersign.common.IdList.containing(agentId)).query(String.class).list();
    }

    @Override
    public Optional<String> traceParentOf(String id) {
        return jdbc.sql("select trace_parent from action_request where id = ?").param(id).query(String.class).optional();
    }

    @Override
    public java.util.Map<String, Long> pendingByRule() {
        var counts = new java.util.TreeMap<String, Long>();
        jdbc.sql("select rule_name, count(*) as waiting from action_request where status = 'PENDING' group by rule_name")
                .query(rs -> { counts.put(rs.getString("rule_name") == null ? "none" : rs.getString("rule_name"), rs.getLong("waiting")); });
        return counts;
    }

    @Override
    public java.util.List<String> decidedBefore(Instant before, int limit) {
        return jdbc.sql("select id from action_request where status <> 'PENDING' and decided_at < ? order by decided_at limit ?")
                .params(Timestamp.from(before), limit).query(String.class).list();
    }

    @Override
    public int purge(java.util.List<String> ids) {
        for (String table : java.util.List.of("idempotency_key", "pending_action", "action_request_approver", "action_request_subject", "vote")) {
            jdbc.sql("delete from " + table + " where request_id in (:ids)").param("ids", ids).update();
        }
        return jdbc.sql("delete from action_request where id in (:ids)").param("ids", ids).update();
    }

    @Override
    public int forgetKeysBefore(Instant before) {
        return jdbc.sql("delete from idempotency_key where created_at < ?").param(Timestamp.from(before)).update();
    }

    private int update(String sql, Object... params) {
        entities.flush();
        int changed = jdbc.sql(sql).params(params).update();
        entities.clear();
        return changed;
    }
}
