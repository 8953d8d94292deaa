package dev.countersign.actions.internal;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.Verdict;
import dev.countersign.audit.AuditLog;
import dev.countersign.grants.Grant;
import dev.countersign.grants.GrantSubject;
import dev.countersign.grants.Grants;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one place a request is decided, whoever decides it: policy at ask time, approvers, the
 * expiry timer, the agent withdrawing; the one class that writes a final state. What must hold
 * with the decision happens here, in the deciding transaction: the audit entry and, for an
 * approval, its one grant. Everything else (waking waiters, telling the process, Slack, the
 * console) reacts to {@link ActionDecided} after commit.
 */
@Component
class Decisions {

    private final ActionRequestRepository requests;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final DecisionBroadcast broadcast;
    private final Grants grants;
    private final Clock clock;
    private final RequestMeters meters;

    Decisions(ActionRequestRepository requests, AuditLog audit, ApplicationEventPublisher events,
              DecisionBroadcast broadcast, Grants grants, Clock clock, RequestMeters meters) {
        this.meters = meters;
        this.grants = grants;
        this.requests = requests;
        this.audit = audit;
        this.events = events;
        this.broadcast = broadcast;
        this.clock = clock;
    }

    /** A request just decided, and the grant issued with it when it was approved (else null). */
    record Decided(ActionRequestRow row, Grant grant) {
    }

    /** Decides a PENDING request: of concurrent callers exactly one gets the decided request; the rest change nothing. */
    @Transactional(propagation = Propagation.REQUIRED)
    Optional<Decided> decide(String requestId, Verdict verdict) {
        return decide(requestId, verdict, null);
    }

    /** As {@link #decide(String, Verdict)}, by a vote that came {@code via} a channel. */
    @Transactional(propagation = Propagation.REQUIRED)
    Optional<Decided> decide(String requestId, Verdict verdict, dev.countersign.actions.Channel via) {
        // Read before the update, not after it: a vote holds the row already (no statement), and every column the update
        // does not set was written once, at insert; so the row it leaves is this one with the verdict applied.
        Optional<ActionRequestRow> before = requests.findById(requestId);
        if (before.isEmpty() || before.get().status() != ActionStatus.PENDING) {
            return Optional.empty();
        }
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // Of concurrent deciders (a vote, the expiry timer, the agent withdrawing), exactly one sees 1.
        if (!requests.decide(requestId, verdict, now)) {
            return Optional.empty();
        }
        ActionRequestRow decided = before.get().decidedAs(verdict, now);
        requests.releasePending(requestId);
        // Waiters on other instances are woken by PostgreSQL at commit; nobody waits on a request decided on arrival.
        broadcast.announce(requestId);
        meters.decided(decided.rule(), decided.createdAt(), now, verdict.outcome(), verdict.by(), via);
        return Optional.of(new Decided(decided, record(decided, verdict, true)));
    }

    /**
     * Stores a new request already decided (policy allowed or denied it, or denied it again): with the conditional update
     * in {@link #decide}, the only two writes of a final state. What follows a decision comes with
     * {@link #decidedOnArrival}, once the ask's own entries are written.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void storeDecided(ActionRequestRow request, Verdict verdict, String rule, String policyVersion) {
        request.decidedOnArrival(verdict, rule, policyVersion);
        requests.insert(request);
    }

    /** A request decided the moment it arrived: stored already ({@link #storeDecided}), its decision recorded now. */
    @Transactional(propagation = Propagation.MANDATORY)
    Grant decidedOnArrival(ActionRequestRow stored, Verdict verdict) {
        if (stored.status() != verdict.outcome()) {
            throw new IllegalStateException("request " + stored.id() + " was stored " + stored.status() + ", not " + verdict.outcome());
        }
        return record(stored, verdict, false);
    }

    /** The audit entry, the grant of an approval, then the event; returns the grant (null unless approved). */
    private Grant record(ActionRequestRow request, Verdict verdict, boolean awaitedApproval) {
        Map<String, Object> data = new HashMap<>();
        data.put("status", verdict.outcome().name());
        data.put("by", verdict.by().name());
        if (verdict.reason() != null) {
            data.put("reason", verdict.reason());
        }
        if (verdict.reasonCode() != null) {
            data.put("reasonCode", verdict.reasonCode());
        }
        audit.record("action.decided", verdict.actor(), request.id(), data);
        Instant holdUntil = request.holdOnApproval() ? request.expiresAt() : null;
        Grant grant = verdict.outcome() != ActionStatus.APPROVED ? null
                : grants.issue(new GrantSubject(request.id(), request.agentId(), request.tool(), request.actionHash(), holdUntil,
                        dev.countersign.identity.Delegation.agentsOf(request.chain(), request.rootIsPerson())));
        events.publishEvent(new ActionDecided(request.id(), request.agentId(), request.tool(), request.actionHash(),
                verdict.outcome(), verdict.by(), verdict.actor(), awaitedApproval, holdUntil));
        return grant;
    }
}
