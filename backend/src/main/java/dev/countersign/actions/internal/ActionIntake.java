package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequested;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionsProperties;
import dev.countersign.actions.AwaitingApproval;
import dev.countersign.actions.Verdict;
import dev.countersign.audit.AuditLog;
import dev.countersign.grants.Grant;
import dev.countersign.grants.Grants;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import dev.countersign.policy.PolicyDecision;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/actions}: the gate ({@link AskGate}: the agent's switch and tool list), then
 * in one transaction the facts ({@link FactDerivation}), the Idempotency-Key's claim, the verdict
 * step ({@link PolicyRuling}) and the request with everything that follows from it, stored through
 * the one store ({@link ActionRequestRepository}). The key's primary key decides concurrent retries: the
 * loser's transaction rolls back and it answers with the winner's request.
 */
@Component
class ActionIntake {

    private final AskGate gate;
    private final FactDerivation facts;
    private final PolicyRuling ruling;
    private final AskLookup lookup;
    private final ActionRequestRepository requests;
    private final ActionRequestAssembler assembler;
    private final Decisions decisions;
    private final Grants grants;
    private final Callers callers;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ActionsProperties properties;
    private final StandingApprovalService standing;

    private final RequestTracing tracing;

    ActionIntake(AskGate gate, FactDerivation facts, PolicyRuling ruling, AskLookup lookup, ActionRequestRepository requests,
                 ActionRequestAssembler assembler, Decisions decisions, Grants grants, Callers callers, AuditLog audit,
                 ApplicationEventPublisher events, TransactionTemplate tx, Clock clock, ActionsProperties properties,
                 StandingApprovalService standing, RequestTracing tracing) {
        this.tracing = tracing;
        this.standing = standing;
        this.gate = gate;
        this.facts = facts;
        this.ruling = ruling;
        this.lookup = lookup;
        this.requests = requests;
        this.assembler = assembler;
        this.decisions = decisions;
        this.grants = grants;
        this.callers = callers;
        this.audit = audit;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    /** What the agent is answered: the request, and whether it was created now, replayed, or coalesced onto a pending one. */
    record Outcome(ActionRequest request, boolean created, boolean coalesced) {
    }

    /** Transactions tried before a call that keeps losing races gives up (one more look-up may still answer it). */
    private static final int MAX_ATTEMPTS = 3;

    Outcome submit(Caller.Agent agent, String idempotencyKey, ActionSubmission submission) {
        // Before any transaction: a refused call holds no connection while its refusal is audited.
        gate.admit(agent, submission);
        dev.countersign.identity.AgentRuntime ran;
        try {
            ran = RuntimeCheck.resolve(agent.runtime(), submission.runtime());
        } catch (FactDerivation.Refusal refusal) {
            gate.refused(agent, submission, refusal.audited());
            throw refusal.problem();
        }
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
                    DerivedFacts derived = facts.derive(resolved);
                    // Pending: join it. Approved by people moments ago (a retry after the agent gave up waiting): join that, so
                    // that nobody is asked twice and the action's single-use grant runs it once; "repeat": true asks anew.
                    var joined = known.pending().map(AskLookup.Pending::requestId)
                            .or(() -> resolved.repeat() ? Optional.empty() : known.standingApproval().map(AskLookup.RecentApproval::requestId)
                                    .filter(approved -> grants.ranOrCanRun(approved, now)));
                    return joined.map(requestId -> coalesce(agent, idempotencyKey, resolved, requestId, now))
                            .orElseGet(() -> create(agent, idempotencyKey, resolved, derived, ran, now, known.denial().filter(denied ->
                                    known.approval().map(approved -> denied.decidedAt().isAfter(approved.decidedAt())).orElse(true))));
                });
            } catch (FactDerivation.Refusal refusal) {
                // Rolled back by now; the refusal is recorded on its own, so a misdescribing agent shows in the audit log.
                gate.refused(agent, submission, refusal.audited());
                throw refusal.problem();
            } catch (DuplicateKeyException lost) {
                // A concurrent call committed first, with the same key or the same pending action. Nothing of ours was
                // kept; the next turn's look-up finds what won, and answers as its replay or coalesces onto it.
                raced = lost;
            }
        }
        throw raced;
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
            requests.addSubject(requestId, subject);
        }
    }

    private void claimKey(Caller.Agent agent, String key, ActionSubmission submission, String requestId, Instant now) {
        requests.claimKey(agent.id(), key, submission.fingerprint(), requestId, now);
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

    private Outcome create(Caller.Agent agent, String key, ActionSubmission submission, DerivedFacts facts,
                           dev.countersign.identity.AgentRuntime ran, Instant now, Optional<AskLookup.RecentDenial> denial) {
        String id = dev.countersign.common.Ids.random("act");
        var request = new ActionRequestRow(id, agent.id(), submission, facts, now);
        request.delegatedBy(agent.delegation());
        request.tracedIn(tracing.askTrace());
        RequestTracing.about(id);
        // Compared only when the agent says what it runs as: an agent that never does pays no query for it.
        Boolean changed = ran.isEmpty() ? null : requests.lastApprovedRuntime(agent.id())
                .map(before -> !RuntimeCheck.read(before).sameAs(ran)).orElse(null);
        request.ranAs(ran, changed);
        if (denial.isPresent()) {
            return refuseAgain(agent, key, submission, request, denial.get(), now);
        }
        var ruled = ruling.rule(agent, submission, facts, new dev.countersign.policy.ActionFacts.Runtime(ran.values(), ran.attested(), changed),
                now);
        PolicyDecision decision = ruled.decision();
        Verdict verdict = ruled.verdict();
        if (verdict == null) {
            // People would be asked: unless they already approved this and the next ones like it.
            var used = standing.use(agent, request, facts, decision, ran, now);
            if (used.isPresent()) {
                verdict = used.get().verdict();
                request.citing(used.get().standingApprovalId());
            }
        }
        if (verdict != null) {
            decisions.storeDecided(request, verdict, decision.rule(), decision.policyVersion());
        } else {
            request.pending(decision.rule(), decision.policyVersion(), decision.reason(), String.join(",", decision.approvers()),
                    decision.quorum(), now.plus(decision.timeout()),
                    decision.reminderAfter() == null ? null : now.plus(decision.reminderAfter()), decision.hold());
            requests.insert(request);
        }
        // The key is claimed in the same transaction as the request it names; its primary key decides races.
        claimKey(agent, key, submission, id, now);
        if (verdict == null) {
            // And this primary key makes identical concurrent asks coalesce onto one approval.
            requests.holdPending(agent.id(), submission.actionHash(), id);
        }
        requests.addApprovers(id, decision.approvers());
        addSubject(id, submission.onBehalfOf());

        auditRequested(agent, submission, request);
        audit.record("policy.evaluated", "policy", id, Map.of("effect", decision.effect().name(), "rule", decision.rule(),
                "policyVersion", decision.policyVersion()));
        Grant grant = verdict == null ? null : decisions.decidedOnArrival(request, verdict);
        events.publishEvent(new ActionRequested(id, agent.id(), submission.tool(), decision.rule(), request.status(), verdict != null ? null
                : new AwaitingApproval(id, decision.rule(), request.expiresAt(), request.remindAt())));
        return new Outcome(assembler.ofNew(request, submission, grant), true, false);
    }

    private void auditRequested(Caller.Agent agent, ActionSubmission submission, ActionRequestRow request) {
        String id = request.id();
        Map<String, Object> asked = new HashMap<>();
        asked.put("tool", submission.tool());
        asked.put("actionHash", submission.actionHash());
        if (submission.onBehalfOf() != null) {
            asked.put("onBehalfOf", submission.onBehalfOf());
        }
        if (request.runtime() != null) {
            asked.put("runtime", request.runtime());
        }
        if (agent.delegation().delegated()) {
            // The audit entry names the whole chain: who handed the work on, not only who asked.
            asked.put("chain", agent.chain());
            asked.put("rootIsPerson", agent.delegation().rootIsPerson());
        }
        audit.record("action.requested", agent.id(), id, asked);
    }

    /** Denied or expired moments ago: deny again at once, so that asking again never reaches an approver who just said no. */
    private Outcome refuseAgain(Caller.Agent agent, String key, ActionSubmission submission, ActionRequestRow request,
                                AskLookup.RecentDenial denial, Instant now) {
        String reason = "The same action was " + denial.status().toLowerCase() + " at " + denial.decidedAt() + " (" + denial.requestId()
                + "); it is refused without asking approvers until " + denial.decidedAt().plus(properties.denialCooldown());
        var verdict = Verdict.deniedAgain(reason);
        decisions.storeDecided(request, verdict, denial.rule(), ruling.policyVersion());
        claimKey(agent, key, submission, request.id(), now);
        auditRequested(agent, submission, request);
        decisions.decidedOnArrival(request, verdict);
        events.publishEvent(new ActionRequested(request.id(), agent.id(), submission.tool(), denial.rule(), ActionStatus.DENIED, null));
        return new Outcome(assembler.ofNew(request, submission, null), true, false);
    }
}
