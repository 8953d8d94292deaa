package dev.countersign.actions.internal;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionView;
import dev.countersign.actions.DecidedBy;
import dev.countersign.actions.VoteCast;
import dev.countersign.audit.AuditLog;
import dev.countersign.grants.Grants;
import dev.countersign.workflow.Workflows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Component
class JpaActionRequests implements ActionRequests {

    private final ActionRequestRepository requests;
    private final ActionViews views;
    private final JdbcClient jdbc;
    private final Grants grants;
    private final AuditLog audit;
    private final Workflows workflows;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final DecisionBroadcast broadcast;

    JpaActionRequests(ActionRequestRepository requests, ActionViews views, JdbcClient jdbc, Grants grants, AuditLog audit,
                      Workflows workflows, ApplicationEventPublisher events, Clock clock, DecisionBroadcast broadcast) {
        this.broadcast = broadcast;
        this.requests = requests;
        this.views = views;
        this.jdbc = jdbc;
        this.grants = grants;
        this.audit = audit;
        this.workflows = workflows;
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ActionView> find(String id) {
        return requests.findById(id).map(views::of);
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ActionView> lock(String id) {
        return requests.findForUpdate(id).map(views::of);
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean recordVote(String requestId, String approver, String vote, String comment, String channel) {
        boolean already = jdbc.sql("select count(*) from vote where request_id = ? and approver = ?")
                .params(requestId, approver).query(Long.class).single() > 0;
        if (already) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        jdbc.sql("insert into vote (request_id, approver, vote, comment, channel, cast_at) values (?,?,?,?,?,?)")
                .params(requestId, approver, vote, comment, channel, Timestamp.from(now)).update();
        requests.touch(requestId, now);
        Map<String, Object> data = new HashMap<>();
        data.put("vote", vote);
        data.put("via", channel);
        if (comment != null) {
            data.put("comment", comment);
        }
        audit.record("vote.cast", approver, requestId, data);
        events.publishEvent(new VoteCast(requestId, approver, vote));
        return true;
    }

    @Override
    @Transactional(propagation = Propagation.REQUIRED)
    public boolean decide(String requestId, ActionStatus outcome, DecidedBy by, String actor, String reason, String reasonCode) {
        if (outcome == ActionStatus.PENDING) {
            throw new IllegalArgumentException("a decision leaves PENDING");
        }
        if (requests.decide(requestId, outcome, by, reason, reasonCode, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS)) != 1) {
            return false;
        }
        ActionRequestEntity decided = requests.findById(requestId).orElseThrow();
        jdbc.sql("delete from pending_action where request_id = ?").param(requestId).update();
        broadcast.announce(requestId);
        Map<String, Object> data = new HashMap<>();
        data.put("status", outcome.name());
        data.put("by", by.name());
        if (reason != null) {
            data.put("reason", reason);
        }
        if (reasonCode != null) {
            data.put("reasonCode", reasonCode);
        }
        audit.record("action.decided", actor, requestId, data);
        if (outcome == ActionStatus.APPROVED) {
            var grant = grants.issue(new Grants.GrantSubject(requestId, decided.agentId(), decided.tool(), decided.actionHash()));
            audit.record("grant.issued", "countersign", requestId, Map.of("jti", grant.jti(), "expiresAt", grant.expiresAt().toString()));
        }
        workflows.decidedAfterCommit(requestId);
        events.publishEvent(new ActionDecided(requestId, decided.agentId(), outcome, by, actor));
        return true;
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionView> forApprover(Collection<String> principals, ActionStatus status, Cursor after, int limit) {
        if (principals.isEmpty()) {
            return List.of();
        }
        var sql = new StringBuilder("""
                select r.id from action_request r
                 where r.status = :status
                   and exists (select 1 from action_request_approver a where a.request_id = r.id and a.principal in (:principals))""");
        if (after != null) {
            sql.append(" and (r.created_at < :createdAt or (r.created_at = :createdAt and r.id < :id))");
        }
        sql.append(" order by r.created_at desc, r.id desc limit :limit");
        var statement = jdbc.sql(sql.toString()).param("status", status.name()).param("principals", principals).param("limit", limit);
        if (after != null) {
            statement = statement.param("createdAt", Timestamp.from(after.createdAt())).param("id", after.id());
        }
        List<String> ids = statement.query(String.class).list();
        Map<String, ActionRequestEntity> byId = new HashMap<>();
        requests.findAllById(ids).forEach(r -> byId.put(r.id(), r));
        return ids.stream().map(byId::get).map(views::of).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionView> search(Search search, Cursor after, int limit) {
        if (search.visibleTo() != null && search.visibleTo().isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new HashMap<>();
        var sql = new StringBuilder("select r.id from action_request r where ").append(where(search, params));
        if (after != null) {
            sql.append(" and (r.created_at < :createdAt or (r.created_at = :createdAt and r.id < :id))");
            params.put("createdAt", Timestamp.from(after.createdAt()));
            params.put("id", after.id());
        }
        sql.append(" order by r.created_at desc, r.id desc limit :limit");
        params.put("limit", limit);
        List<String> ids = jdbc.sql(sql.toString()).params(params).query(String.class).list();
        Map<String, ActionRequestEntity> byId = new HashMap<>();
        requests.findAllById(ids).forEach(r -> byId.put(r.id(), r));
        return ids.stream().map(byId::get).map(views::of).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public long count(Search search) {
        if (search.visibleTo() != null && search.visibleTo().isEmpty()) {
            return 0;
        }
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("select count(*) from action_request r where " + where(search, params)).params(params).query(Long.class).single();
    }

    /** The search's conditions, one SQL text for the page and for the count. */
    private static String where(Search search, Map<String, Object> params) {
        var sql = new StringBuilder("1 = 1");
        if (search.visibleTo() != null) {
            sql.append(" and exists (select 1 from action_request_approver a where a.request_id = r.id and a.principal in (:principals))");
            params.put("principals", search.visibleTo());
        }
        condition(sql, params, "r.status = :status", "status", search.status() == null ? null : search.status().name());
        condition(sql, params, "r.tool = :tool", "tool", search.tool());
        condition(sql, params, "r.agent_id = :agent", "agent", search.agent());
        condition(sql, params, "r.category = :category", "category", search.category());
        condition(sql, params, "r.environment = :environment", "environment", search.environment());
        if (search.text() != null && !search.text().isBlank()) {
            sql.append(" and (r.id = :text or lower(r.tool) like :like or lower(r.agent_id) like :like"
                    + " or lower(r.resource) like :like or lower(r.justification) like :like)");
            params.put("text", search.text().strip());
            params.put("like", "%" + search.text().strip().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        return sql.toString();
    }

    private static void condition(StringBuilder sql, Map<String, Object> params, String clause, String name, String value) {
        if (value != null && !value.isBlank()) {
            sql.append(" and ").append(clause);
            params.put(name, value.strip());
        }
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionView> history(String actionHash, String excludingId, int limit) {
        return requests.findByActionHashAndIdNotAndStatusNotOrderByCreatedAtDesc(actionHash, excludingId, ActionStatus.PENDING,
                Limit.of(limit)).stream().map(views::of).toList();
    }
}
