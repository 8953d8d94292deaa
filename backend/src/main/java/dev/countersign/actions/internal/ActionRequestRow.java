package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.DecidedBy;
import dev.countersign.actions.Verdict;
import dev.countersign.catalog.DerivedFacts;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import jakarta.persistence.Table;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.data.domain.Persistable;

/**
 * The stored ActionRequest. Status changes never go through this object's setters: they are
 * conditional updates in {@link Decisions}, so that races are decided by the database.
 */
@Entity
@Table(name = "action_request")
class ActionRequestRow implements Persistable<String> {

    @Id
    private String id;
    private String agentId;
    @Enumerated(EnumType.STRING)
    private ActionStatus status;
    private String tool;
    private String category;
    private String actionHash;
    private String environment;
    private String dataClassification;
    private String resource;
    private String payee;
    /** The W3C traceparent of the ask (null when tracing is off): what votes, jobs and the forward continue. */
    @Column(name = "trace_parent")
    private String traceParent;
    private String amountValue;
    private String amountCurrency;
    private String justification;
    private String onBehalfOf;
    private String sessionId;
    private String body;
    @Column(name = "rule_name")
    private String rule;
    private String policyVersion;
    private String catalogVersion;
    @Enumerated(EnumType.STRING)
    private DecidedBy decidedBy;
    private String decisionReason;
    private String reasonCode;
    private String approvers;
    private int quorum;
    private Instant expiresAt;
    @Column(name = "hold_on_approval")
    private boolean holdOnApproval;
    private Instant remindAt;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant decidedAt;
    /** The delegation chain, root first (a JSON array, {@link dev.countersign.common.IdList}); null when the agent asked for itself. */
    private String delegation;
    private boolean rootIsPerson;
    /** What the agent ran as (JSON, {@link RuntimeCheck#stored}); null when nobody said. */
    private String runtime;
    /** Whether that differs from the agent's last approved request; null when there is none to compare with. */
    private Boolean runtimeChanged;
    /** The standing approval its decision cites: the one that approved it, or the one its approval gave. */
    private String standingApprovalId;

    /** Ids are ours, not generated: without this, saving a new request would first select it. */
    @Transient
    private boolean isNew = true;

    protected ActionRequestRow() {
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void stored() {
        isNew = false;
    }

    /** The facts stored, shown and decided on are the catalog's, derived from the arguments; never the agent's. */
    ActionRequestRow(String id, String agentId, ActionSubmission submission, DerivedFacts facts, Instant now) {
        this.id = id;
        this.agentId = agentId;
        this.tool = submission.tool();
        this.category = facts.category();
        this.actionHash = submission.actionHash();
        this.environment = facts.environment();
        this.dataClassification = facts.dataClassification();
        this.resource = facts.resource();
        this.payee = facts.payee();
        this.amountValue = facts.amount() == null ? null : facts.amount().toPlainString();
        this.amountCurrency = facts.currency();
        this.catalogVersion = facts.catalogVersion();
        this.justification = submission.justification();
        this.onBehalfOf = submission.onBehalfOf();
        this.sessionId = submission.sessionId();
        this.body = submission.canonicalBody();
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Asked down a delegation chain: it is recorded with the request, for policy, approvers, the audit log and switches. */
    void delegatedBy(dev.countersign.identity.Delegation chain) {
        if (chain.delegated()) {
            this.delegation = dev.countersign.common.IdList.encode(chain.chain());
            this.rootIsPerson = chain.rootIsPerson();
        }
    }

    /** Its decision cites this standing approval (set before insert, or after the deciding update, on this detached row). */
    void citing(String standingApproval) {
        this.standingApprovalId = standingApproval;
    }

    /** What the agent ran as, and whether that changed since its last approved request. */
    void ranAs(dev.countersign.identity.AgentRuntime ran, Boolean changed) {
        this.runtime = RuntimeCheck.stored(ran);
        this.runtimeChanged = this.runtime == null ? null : changed;
    }

    void pending(String rule, String policyVersion, String reason, String approvers, int quorum, Instant expiresAt, Instant remindAt,
                 boolean holdOnApproval) {
        this.holdOnApproval = holdOnApproval;
        this.remindAt = remindAt;
        this.status = ActionStatus.PENDING;
        this.rule = rule;
        this.policyVersion = policyVersion;
        this.decisionReason = reason;
        this.approvers = approvers;
        this.quorum = quorum;
        this.expiresAt = expiresAt;
    }

    /** Decided the moment it arrives; {@link Decisions#decidedOnArrival} records and announces it once stored. */
    void decidedOnArrival(Verdict verdict, String rule, String policyVersion) {
        decidedAs(verdict, createdAt);
        this.rule = rule;
        this.policyVersion = policyVersion;
    }

    /**
     * This row as {@link Decisions#decide}'s conditional update leaves it: the update sets these columns, and every
     * other column is written once, at insert. Called once the persistence context was cleared, so on a detached
     * row: nothing here is written back.
     */
    ActionRequestRow decidedAs(Verdict verdict, Instant at) {
        this.status = verdict.outcome();
        this.decidedBy = verdict.by();
        this.decisionReason = verdict.reason();
        this.reasonCode = verdict.reasonCode();
        this.decidedAt = at;
        return touchedAt(at);
    }

    /** Every column, in the order {@link #insert} writes them and {@link #read} reads them. */
    private static final String COLUMNS = """
            id, agent_id, status, tool, category, action_hash, environment, data_classification, resource, amount_value,
            amount_currency, justification, on_behalf_of, session_id, body, rule_name, policy_version, catalog_version, decided_by,
            decision_reason, reason_code, approvers, quorum, expires_at, remind_at, created_at, updated_at, decided_at, hold_on_approval,
            delegation, root_is_person, runtime, runtime_changed, standing_approval_id, payee, trace_parent""";

    /**
     * Stores this new row in plain SQL, in the caller's transaction. Hibernate's persist and flush of this one row was
     * about a fifth of an allowed ask's own CPU (JFR, the benchmark's auto-allowed row). Every persistent field above is
     * a column here ({@code ActionRequestRowTest} reads one back through JPA and through {@link #find}).
     */
    void insert(JdbcClient jdbc) {
        jdbc.sql("insert into action_request (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, agentId, name(status), tool, category, actionHash, environment, dataClassification, resource, amountValue,
                        amountCurrency, justification, onBehalfOf, sessionId, body, rule, policyVersion, catalogVersion, name(decidedBy),
                        decisionReason, reasonCode, approvers, quorum, timestamp(expiresAt), timestamp(remindAt), timestamp(createdAt),
                        timestamp(updatedAt), timestamp(decidedAt), holdOnApproval, delegation, rootIsPerson, runtime, runtimeChanged,
                        standingApprovalId, payee, traceParent)
                .update();
        isNew = false;
    }

    /**
     * The stored row, read in plain SQL: for the reads outside a transaction that agents repeat (a replayed ask, a
     * {@code GET} of their request, a long-poll's answer), where Hibernate's session, opened and closed for one row, and
     * its entity loading were the largest part of a replay's own CPU (JFR). Not managed by JPA: status changes are
     * conditional updates anyway.
     */
    static Optional<ActionRequestRow> find(JdbcClient jdbc, String id) {
        return jdbc.sql("select " + COLUMNS + " from action_request where id = ?").param(id).query((rs, n) -> read(rs)).optional();
    }

    private static ActionRequestRow read(ResultSet rs) throws SQLException {
        var row = new ActionRequestRow();
        row.id = rs.getString("id");
        row.agentId = rs.getString("agent_id");
        row.status = ActionStatus.valueOf(rs.getString("status"));
        row.tool = rs.getString("tool");
        row.category = rs.getString("category");
        row.actionHash = rs.getString("action_hash");
        row.environment = rs.getString("environment");
        row.dataClassification = rs.getString("data_classification");
        row.resource = rs.getString("resource");
        row.amountValue = rs.getString("amount_value");
        row.amountCurrency = rs.getString("amount_currency");
        row.justification = rs.getString("justification");
        row.onBehalfOf = rs.getString("on_behalf_of");
        row.sessionId = rs.getString("session_id");
        row.body = rs.getString("body");
        row.rule = rs.getString("rule_name");
        row.policyVersion = rs.getString("policy_version");
        row.catalogVersion = rs.getString("catalog_version");
        String decidedBy = rs.getString("decided_by");
        row.decidedBy = decidedBy == null ? null : DecidedBy.valueOf(decidedBy);
        row.decisionReason = rs.getString("decision_reason");
        row.reasonCode = rs.getString("reason_code");
        row.approvers = rs.getString("approvers");
        row.quorum = rs.getInt("quorum");
        row.expiresAt = instant(rs.getTimestamp("expires_at"));
        row.holdOnApproval = rs.getBoolean("hold_on_approval");
        row.remindAt = instant(rs.getTimestamp("remind_at"));
        row.createdAt = instant(rs.getTimestamp("created_at"));
        row.updatedAt = instant(rs.getTimestamp("updated_at"));
        row.decidedAt = instant(rs.getTimestamp("decided_at"));
        row.delegation = rs.getString("delegation");
        row.rootIsPerson = rs.getBoolean("root_is_person");
        row.runtime = rs.getString("runtime");
        boolean changed = rs.getBoolean("runtime_changed");
        row.runtimeChanged = rs.wasNull() ? null : changed;
        row.standingApprovalId = rs.getString("standing_approval_id");
        row.payee = rs.getString("payee");
        row.traceParent = rs.getString("trace_parent");
        row.isNew = false;
        return row;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /** This row as a counted vote's update of {@code updated_at} leaves it; detached, as for {@link #decidedAs}. */
    ActionRequestRow touchedAt(Instant at) {
        this.updatedAt = at;
        return this;
    }

    String id() { return id; }
    String agentId() { return agentId; }
    ActionStatus status() { return status; }
    String tool() { return tool; }
    String category() { return category; }
    String actionHash() { return actionHash; }
    String environment() { return environment; }
    String dataClassification() { return dataClassification; }
    String resource() { return resource; }
    String payee() { return payee; }

    String traceParent() { return traceParent; }

    /** The trace this ask runs in, stored with it (before the insert). */
    void tracedIn(String traceParent) {
        this.traceParent = traceParent != null && traceParent.length() <= 64 ? traceParent : null;
    }
    String amountValue() { return amountValue; }
    String amountCurrency() { return amountCurrency; }
    String justification() { return justification; }
    String onBehalfOf() { return onBehalfOf; }
    String sessionId() { return sessionId; }
    String body() { return body; }
    String rule() { return rule; }
    String policyVersion() { return policyVersion; }
    String catalogVersion() { return catalogVersion; }
    DecidedBy decidedBy() { return decidedBy; }
    String decisionReason() { return decisionReason; }
    String reasonCode() { return reasonCode; }
    String approvers() { return approvers; }
    int quorum() { return quorum; }
    Instant expiresAt() { return expiresAt; }

    boolean holdOnApproval() { return holdOnApproval; }
    Instant remindAt() { return remindAt; }
    Instant createdAt() { return createdAt; }
    Instant updatedAt() { return updatedAt; }
    Instant decidedAt() { return decidedAt; }

    /** The delegation chain, root first; empty when the agent asked for itself. */
    java.util.List<String> chain() { return dev.countersign.common.IdList.decode(delegation); }
    boolean rootIsPerson() { return rootIsPerson; }
    dev.countersign.identity.AgentRuntime ran() { return RuntimeCheck.read(runtime); }
    /** The stored JSON of what it ran as, for the audit log; null when nobody said. */
    String runtime() { return runtime; }
    Boolean runtimeChanged() { return runtimeChanged; }
    String standingApprovalId() { return standingApprovalId; }
}
