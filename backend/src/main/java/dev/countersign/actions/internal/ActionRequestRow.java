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
import java.time.Instant;
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
    private Instant remindAt;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant decidedAt;

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

    void pending(String rule, String policyVersion, String reason, String approvers, int quorum, Instant expiresAt, Instant remindAt) {
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
    Instant remindAt() { return remindAt; }
    Instant createdAt() { return createdAt; }
    Instant updatedAt() { return updatedAt; }
    Instant decidedAt() { return decidedAt; }
}
