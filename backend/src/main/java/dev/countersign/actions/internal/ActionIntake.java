package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequested;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionsProperties;
import dev.countersign.actions.AwaitingApproval;
import dev.countersign.actions.DecidedBy;
import dev.countersign.actions.Verdict;
import dev.countersign.audit.AuditLog;
import dev.countersign.grants.Grant;
import dev.countersign.grants.Grants;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyDecision;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/actions}: check the agent's tool list, derive the facts from the arguments
 * through the tool catalog (and refuse declarations that differ), then claim the
 * Idempotency-Key, evaluate policy on the derived facts, store the request and everything that
 * follows from it, in one transaction. The key's primary key decides concurrent retries: the
 * loser's transaction rolls back and it answers with the winner's request.
 */
@Component
class ActionIntake {

    private final ActionRequestRepository requests;
    private final ActionRequestAssembler assembler;
    private final JdbcClient jdbc;
    private final Policy policy;
    private final ToolCatalog catalog;
    private final AgentHistory history;
    private final Callers callers;
    private final Decisions decisions;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ActionsProperties properties;
    private final AskLookup lookup;
    private final Grants grants;

    ActionIntake(ActionRequestRepository requests, ActionRequestAssembler assembler, JdbcClient jdbc, Policy policy, ToolCatalog catalog,
                 AgentHistory history, Callers callers, Decisions decisions, AuditLog audit, ApplicationEventPublisher events,
                 TransactionTemplate tx, Clock clock, ActionsProperties properties, AskLookup lookup,
                 Grants grants) {
        this.lookup = lookup;
        this.grants = grants;
        this.callers = callers;
        this.properties = properties;
        this.catalog = catalog;
        this.history = history;
        this.requests = requests;
        this.assembler = assembler;
        this.jdbc = jdbc;
        this.policy = policy;
        this.decisions = decisions;
        this.audit = audit;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /** What the agent is answered: the request, and whether it was created now, replayed, or coalesced onto a pending one. */
    record Outcome(ActionRequest request, boolean created, boolean coalesced) {
    }

    /** Transactions tried before a call that keeps losing races gives up (one more look-up may still answer it). */
    private static final int MAX_ATTEMPTS = 3;

    Outcome submit(Caller.Agent agent, String idempotencyKey, ActionSubmission submission) {
        // Before any transaction: a refused call holds no connection while its refusal is audited.
        refuseIfNotAllowed(agent, submission);
        DuplicateKeyException raced = null;
        // Bounded by construction: at most MAX_ATTEMPTS transactions, then one last look-up. Only a unique key that a
        // concurrent call claimed first is retried; any other failure (a value the database refuses, a lost connection)
        // ends the call at once.
        for (int attempt = 1; attempt <= MAX_ATTEMPTS + 1; attempt++) {
            // Microseconds: what both H2 and PostgreSQL store, so the 201 and later reads show the same instant.
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            // Read before the transaction, on its own. Under read committed the same read at the transaction's start
            // would guard nothing more: either can be overtaken by a concurrent commit, and the primary keys of the
            // key's claim and of the pending action catch that. A replay is then answered with reads alone and no
            // transaction (no commit round trip): as it was answered, whatever the catalog or the approvers say now.
            var known = lookup.of(agent.id(), idempotencyKey, submission.actionHash(), now.minus(properties.denialCooldown()),
                    now.minus(properties.replayWindow()), now);
            if (known.claim().isPresent()) {
                return replayOf(known.claim().get(), submission);
            }
            if (attempt > MAX_ATTEMPTS) {
                break;
            }
            try {
                // Anything else has its subject resolved and its facts derived (and what it declares checked) before it
                // coalesces or is created, in one transaction.
                return tx.execute(status -> {
                    ActionSubmission resolved = withSubject(submission);
                    DerivedFacts facts = derive(resolved);
                    // Pending: join it. Approved by people moments ago (a retry after the agent gave up waiting): join that, so
                    // that nobody is asked twice and the action's single-use grant runs it once; "repeat": true asks anew.
                    var joined = known.pending().map(AskLookup.Pending::requestId)
                            .or(() -> resolved.repeat() ? Optional.empty() : known.standingApproval().map(AskLookup.RecentApproval::requestId)
                                    .filter(approved -> grants.ranOrCanRun(approved, now)));
                    return joined.map(requestId -> coalesce(agent, idempotencyKey, resolved, requestId, now))
                            .orElseGet(() -> create(agent, idempotencyKey, resolved, facts, now, known.denial().filter(denied ->
                                    known.approval().map(approved -> denied.decidedAt().isAfter(approved.decidedAt())).orElse(true))));
                });
            } catch (CatalogRefusal refusal) {
                // Rolled back by now; the refusal is recorded on its own, so a misdescribing agent shows in the audit log.
                auditRefused(agent, submission, refusal.audited());
                throw refusal.problem();
            } catch (DuplicateKeyException lost) {
                // A concurrent call committed first, with the same key or the same pending action. Nothing of ours was
                // kept; the next turn's look-up finds what won, and answers as its replay or coalesces onto it.
                raced = lost;
            }
        }
        throw raced;
    }

    /** A call the catalog refuses in a way the audit log must show: the problem to answer, and what to record. */
    private static final class CatalogRefusal extends RuntimeException {
        private final ApiProblem problem;
        private final Map<String, Object> audited;

        CatalogRefusal(ApiProblem problem, Map<String, Object> audited) {
            super(problem.getMessage(), null, false, false);
            this.problem = problem;
            this.audited = audited;
        }

        ApiProblem problem() {
            return problem;
        }

        Map<String, Object> audited() {
            return audited;
        }
    }

    /** The same action already awaits approval for this agent: answer with it; nobody is asked twice. */
    private Outcome coalesce(Caller.Agent agent, String key, ActionSubmission submission, String pendingId, Instant now) {
        claimKey(agent, key, submission, pendingId, now);
        // Asked again on behalf of someone else: they become a subject too, and may not approve it either.
        addSubject(pendingId, submission.onBehalfOf());
        audit.record("action.coalesced", agent.id(), pendingId, Map.of("actionHash", submission.actionHash()));
        return new Outcome(assembler.forAgent(requests.findById(pendingId).orElseThrow()), false, true);
    }

    /** {@code onBehalfOf} as the approver it names, or a {@code 422}: nobody slips past self-approval by respelling themselves. */
    private ActionSubmission withSubject(ActionSubmission submission) {
        if (submission.onBehalfOf() == null) {
            return submission;
        }
        return submission.onBehalfOf(callers.approverIdFor(submission.onBehalfOf()).orElseThrow(() -> ApiProblem.validation(List.of(
                new ApiProblem.FieldError("onBehalfOf", "names no approver Countersign knows; send an approver id, user:<id> "
                        + "or the approver's e-mail address, or leave it out")))));
    }

    private void addSubject(String requestId, String subject) {
        if (subject != null) {
            jdbc.sql("insert into action_request_subject (request_id, subject) select ?, ? where not exists "
                            + "(select 1 from action_request_subject where request_id = ? and subject = ?)")
                    .params(requestId, subject, requestId, subject).update();
        }
    }

    private void claimKey(Caller.Agent agent, String key, ActionSubmission submission, String requestId, Instant now) {
        jdbc.sql("insert into idempotency_key (agent_id, idem_key, fingerprint, request_id, created_at) values (?,?,?,?,?)")
                .params(agent.id(), key, submission.fingerprint(), requestId, Timestamp.from(now)).update();
    }

    /**
     * The key was claimed: by this very body, answer as it was answered then; by another body, refuse. Outside any
     * transaction: each read in its own statement, as a {@code GET} of the request would read it.
     */
    private Outcome replayOf(AskLookup.Claim claim, ActionSubmission submission) {
        if (!claim.fingerprint().equals(submission.fingerprint())) {
            throw new ApiProblem(HttpStatus.CONFLICT, "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request body; use a new key for a new request");
        }
        return new Outcome(assembler.forAgent(requests.row(claim.requestId()).orElseThrow()), false, false);
    }

    private void refuseIfNotAllowed(Caller.Agent agent, ActionSubmission submission) {
        String why = !agent.enabled() ? "agent '" + agent.id() + "' is disabled"
                : !agent.mayUse(submission.tool()) ? "agent '" + agent.id() + "' may not use tool '" + submission.tool() + "'"
                : null;
        if (why != null) {
            auditRefused(agent, submission, Map.of("reason", why));
            throw ApiProblem.forbidden(why.substring(0, 1).toUpperCase() + why.substring(1)
                    + (agent.enabled() ? "; an admin can change the agent's allowed tools" : "; an admin can enable it again (console, Agents)"));
        }
    }

    /**
     * The facts policy decides on, from the catalog. An unknown tool, or a declaration that
     * differs from the facts, is a {@link CatalogRefusal}: audited once the transaction is undone.
     */
    private DerivedFacts derive(ActionSubmission submission) {
        DerivedFacts facts;
        try {
            facts = catalog.derive(submission.tool(), submission.argumentsJson());
        } catch (ApiProblem refused) {
            if ("unknown_tool".equals(refused.code())) {
                throw new CatalogRefusal(refused, Map.of("reason", "unknown_tool"));
            }
            throw refused;
        }
        List<DeclaredFacts.Mismatch> mismatches = DeclaredFacts.mismatches(submission.declared(), facts);
        if (!mismatches.isEmpty()) {
            List<String> fields = mismatches.stream().map(DeclaredFacts.Mismatch::field).toList();
            throw new CatalogRefusal(new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "facts_mismatch",
                    "What the request declares differs from what its arguments do (" + String.join(", ", fields)
                            + "); the tool catalog derives these facts from the arguments, so leave them out or send the derived values",
                    Map.of("mismatches", mismatches)), Map.of("reason", "facts_mismatch", "mismatches", mismatches));
        }
        return facts;
    }

    private void auditRefused(Caller.Agent agent, ActionSubmission submission, Map<String, Object> why) {
        Map<String, Object> data = new HashMap<>(why);
        data.put("tool", submission.tool());
        data.put("actionHash", submission.actionHash());
        tx.executeWithoutResult(status -> audit.record("action.refused", agent.id(), null, data));
    }

    private Outcome create(Caller.Agent agent, String key, ActionSubmission submission, DerivedFacts facts, Instant now,
                           Optional<AskLookup.RecentDenial> denial) {
        String id = dev.countersign.common.Ids.random("act");
        var request = new ActionRequestRow(id, agent.id(), submission, facts, now);
        if (denial.isPresent()) {
            return refuseAgain(agent, key, submission, request, denial.get(), now);
        }
        var asked = new ActionFacts(new ActionFacts.Agent(agent.id(), agent.owner()), submission.tool(), facts.category(),
                facts.environment(), facts.dataClassification(), facts.resource(), facts.amount(), facts.currency(),
                submission.argumentsJson());
        if (policy.readsHistory(asked)) {
            history.serialise(agent.id());
            asked = asked.withHistory(history.read(agent.id(), submission.sessionId(), now));
        }
        PolicyDecision decision = policy.evaluate(asked);
        Verdict verdict = switch (decision.effect()) {
            case ALLOW -> new Verdict(ActionStatus.APPROVED, DecidedBy.POLICY, "policy", decision.reason(), "policy_allowed");
            case DENY -> new Verdict(ActionStatus.DENIED, DecidedBy.POLICY, "policy", decision.reason(), "policy_denied");
            case APPROVE -> null;
        };
        if (verdict != null) {
            request.decidedOnArrival(verdict, decision.rule(), decision.policyVersion());
        } else {
            request.pending(decision.rule(), decision.policyVersion(), decision.reason(), String.join(",", decision.approvers()),
                    decision.quorum(), now.plus(decision.timeout()),
                    decision.reminderAfter() == null ? null : now.plus(decision.reminderAfter()), decision.hold());
        }
        requests.insert(request);
        // The key is claimed in the same transaction as the request it names; its primary key decides races.
        claimKey(agent, key, submission, id, now);
        if (verdict == null) {
            // And this primary key makes identical concurrent asks coalesce onto one approval.
            jdbc.sql("insert into pending_action (agent_id, action_hash, request_id) values (?, ?, ?)")
                    .params(agent.id(), submission.actionHash(), id).update();
        }
        decision.approvers().forEach(principal -> jdbc.sql("insert into action_request_approver (request_id, principal) values (?, ?)")
                .params(id, principal).update());
        addSubject(id, submission.onBehalfOf());

        auditRequested(agent, submission, id);
        audit.record("policy.evaluated", "policy", id, Map.of("effect", decision.effect().name(), "rule", decision.rule(),
                "policyVersion", decision.policyVersion()));
        Grant grant = verdict == null ? null : decisions.decidedOnArrival(request, verdict);
        events.publishEvent(new ActionRequested(id, agent.id(), submission.tool(), request.status(), verdict != null ? null
                : new AwaitingApproval(id, decision.rule(), request.expiresAt(), request.remindAt())));
        return new Outcome(assembler.ofNew(request, submission, grant), true, false);
    }

    private void auditRequested(Caller.Agent agent, ActionSubmission submission, String id) {
        Map<String, Object> asked = new HashMap<>();
        asked.put("tool", submission.tool());
        asked.put("actionHash", submission.actionHash());
        if (submission.onBehalfOf() != null) {
            asked.put("onBehalfOf", submission.onBehalfOf());
        }
        audit.record("action.requested", agent.id(), id, asked);
    }

    /** Denied or expired moments ago: deny again at once, so that asking again never reaches an approver who just said no. */
    private Outcome refuseAgain(Caller.Agent agent, String key, ActionSubmission submission, ActionRequestRow request,
                                AskLookup.RecentDenial denial, Instant now) {
        String reason = "The same action was " + denial.status().toLowerCase() + " at " + denial.decidedAt() + " (" + denial.requestId()
                + "); it is refused without asking approvers until " + denial.decidedAt().plus(properties.denialCooldown());
        var verdict = new Verdict(ActionStatus.DENIED, DecidedBy.POLICY, "policy", reason, "recently_denied");
        request.decidedOnArrival(verdict, denial.rule(), policy.version());
        requests.insert(request);
        claimKey(agent, key, submission, request.id(), now);
        auditRequested(agent, submission, request.id());
        decisions.decidedOnArrival(request, verdict);
        events.publishEvent(new ActionRequested(request.id(), agent.id(), submission.tool(), ActionStatus.DENIED, null));
        return new Outcome(assembler.ofNew(request, submission, null), true, false);
    }
}
