package dev.countersign.actions.internal;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequested;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionView;
import dev.countersign.actions.DecidedBy;
import dev.countersign.audit.AuditLog;
import dev.countersign.common.ApiProblem;
import dev.countersign.grants.Grants;
import dev.countersign.identity.Caller;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyDecision;
import dev.countersign.workflow.ProcessStart;
import dev.countersign.workflow.Workflows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/actions}: claim the Idempotency-Key, evaluate policy, store the request
 * and everything that follows from it, in one transaction. The key's primary key decides
 * concurrent retries: the loser's transaction rolls back and it answers with the winner's request.
 */
@Component
class ActionIntake {

    private final ActionRequestRepository requests;
    private final ActionViews views;
    private final JdbcClient jdbc;
    private final Policy policy;
    private final Grants grants;
    private final AuditLog audit;
    private final Workflows workflows;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    ActionIntake(ActionRequestRepository requests, ActionViews views, JdbcClient jdbc, Policy policy, Grants grants, AuditLog audit,
                 Workflows workflows, ApplicationEventPublisher events, TransactionTemplate tx, Clock clock) {
        this.requests = requests;
        this.views = views;
        this.jdbc = jdbc;
        this.policy = policy;
        this.grants = grants;
        this.audit = audit;
        this.workflows = workflows;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /** What the agent is answered: the request, and whether it was created now or replayed. */
    record Outcome(ActionView request, boolean created) {
    }

    Outcome submit(Caller.Agent agent, String idempotencyKey, ActionSubmission submission) {
        Optional<Outcome> replay = replay(agent, idempotencyKey, submission);
        if (replay.isPresent()) {
            return replay.get();
        }
        refuseIfNotAllowed(agent, submission);
        try {
            return tx.execute(status -> create(agent, idempotencyKey, submission));
        } catch (DataIntegrityViolationException raced) {
            // Another call with the same key committed first: answer as its replay.
            return replay(agent, idempotencyKey, submission).orElseThrow(() -> raced);
        }
    }

    private Optional<Outcome> replay(Caller.Agent agent, String key, ActionSubmission submission) {
        return tx.execute(status -> jdbc.sql("select fingerprint, request_id from idempotency_key where agent_id = ? and idem_key = ?")
                .params(agent.id(), key)
                .query((rs, n) -> new Claim(rs.getString("fingerprint"), rs.getString("request_id")))
                .optional()
                .map(claim -> {
                    if (!claim.fingerprint().equals(submission.fingerprint())) {
                        throw new ApiProblem(HttpStatus.CONFLICT, "idempotency_key_reused",
                                "This Idempotency-Key was already used for a different request body; use a new key for a new request");
                    }
                    return new Outcome(views.of(requests.findById(claim.requestId()).orElseThrow(), true), false);
                }));
    }

    private void refuseIfNotAllowed(Caller.Agent agent, ActionSubmission submission) {
        String why = !agent.enabled() ? "agent '" + agent.id() + "' is disabled"
                : !agent.mayUse(submission.tool()) ? "agent '" + agent.id() + "' may not use tool '" + submission.tool() + "'"
                : null;
        if (why != null) {
            tx.executeWithoutResult(status -> audit.record("action.refused", agent.id(), null,
                    Map.of("tool", submission.tool(), "actionHash", submission.actionHash(), "reason", why)));
            throw ApiProblem.forbidden(why.substring(0, 1).toUpperCase() + why.substring(1)
                    + "; an admin can change the agent's allowed tools");
        }
    }

    private Outcome create(Caller.Agent agent, String key, ActionSubmission submission) {
        // Microseconds: what both H2 and PostgreSQL store, so the 201 and later reads show the same instant.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        String id = dev.countersign.common.Ids.random("act");
        var request = new ActionRequestEntity(id, agent.id(), submission, now);
        PolicyDecision decision = policy.evaluate(new ActionFacts(agent.id(), submission.tool(), submission.category(),
                submission.environment(), submission.dataClassification(), submission.resource(),
                submission.amount() == null ? null : submission.amount().value(),
                submission.amount() == null ? null : submission.amount().currency()));
        switch (decision.effect()) {
            case ALLOW -> request.decidedAtOnce(ActionStatus.APPROVED, DecidedBy.POLICY, decision.rule(), decision.policyVersion(),
                    decision.reason(), "policy_allowed");
            case DENY -> request.decidedAtOnce(ActionStatus.DENIED, DecidedBy.POLICY, decision.rule(), decision.policyVersion(),
                    decision.reason(), "policy_denied");
            case APPROVE -> request.pending(decision.rule(), decision.policyVersion(), decision.reason(),
                    String.join(",", decision.approvers()), decision.quorum(), now.plus(decision.timeout()));
        }
        requests.saveAndFlush(request);
        // The key is claimed in the same transaction as the request it names; its primary key decides races.
        jdbc.sql("insert into idempotency_key (agent_id, idem_key, fingerprint, request_id, created_at) values (?,?,?,?,?)")
                .params(agent.id(), key, submission.fingerprint(), id, Timestamp.from(now)).update();
        decision.approvers().forEach(principal -> jdbc.sql("insert into action_request_approver (request_id, principal) values (?, ?)")
                .params(id, principal).update());

        Map<String, Object> asked = new HashMap<>();
        asked.put("tool", submission.tool());
        asked.put("actionHash", submission.actionHash());
        if (submission.onBehalfOf() != null) {
            asked.put("onBehalfOf", submission.onBehalfOf());
        }
        audit.record("action.requested", agent.id(), id, asked);
        audit.record("policy.evaluated", "policy", id, Map.of("effect", decision.effect().name(), "rule", decision.rule(),
                "policyVersion", decision.policyVersion()));
        switch (decision.effect()) {
            case ALLOW -> {
                var grant = grants.issue(new Grants.GrantSubject(id, agent.id(), submission.tool(), submission.actionHash()));
                audit.record("grant.issued", "countersign", id, Map.of("jti", grant.jti(), "expiresAt", grant.expiresAt().toString()));
                events.publishEvent(new ActionDecided(id, agent.id(), ActionStatus.APPROVED, DecidedBy.POLICY, "policy"));
            }
            case DENY -> events.publishEvent(new ActionDecided(id, agent.id(), ActionStatus.DENIED, DecidedBy.POLICY, "policy"));
            case APPROVE -> workflows.scheduleStart(new ProcessStart(id, ProcessStart.GUARDED_ACTION, decision.timeout(),
                    reminderOrNever(decision)));
        }
        events.publishEvent(new ActionRequested(id, agent.id(), submission.tool(), request.status(), decision.approvers()));
        return new Outcome(views.of(request, true), true);
    }

    /**
     * BPMN timers need a duration; a rule without a reminder gets one past its timeout, which the
     * interrupting expiry timer always cancels first.
     */
    private static Duration reminderOrNever(PolicyDecision decision) {
        return decision.reminderAfter() != null ? decision.reminderAfter() : decision.timeout().plusDays(1);
    }

    private record Claim(String fingerprint, String requestId) {
    }
}
