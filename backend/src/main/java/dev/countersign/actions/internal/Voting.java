package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.Channel;
import dev.countersign.actions.StandingTerms;
import dev.countersign.actions.Verdict;
import dev.countersign.actions.Vote;
import dev.countersign.actions.VoteCast;
import dev.countersign.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Casts a vote on a request held under its row lock: stores it, and when the request's own rule
 * ({@link ActionRequest#verdictAfter}) says the vote decides it, decides it in the same
 * transaction. The votes read under the lock plus this one are all the request has, so its new
 * state is built from them without reading anything back.
 */
@Component
class Voting {

    private final VoteRows votes;
    private final Decisions decisions;
    private final ActionRequestRepository requests;
    private final ActionRequestAssembler assembler;
    private final DecisionWaiters waiters;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final StandingApprovalService standing;

    private final RequestTracing tracing;

    Voting(VoteRows votes, Decisions decisions, ActionRequestRepository requests, ActionRequestAssembler assembler, DecisionWaiters waiters,
           AuditLog audit, ApplicationEventPublisher events, Clock clock, StandingApprovalService standing, RequestTracing tracing) {
        this.tracing = tracing;
        this.standing = standing;
        this.votes = votes;
        this.decisions = decisions;
        this.requests = requests;
        this.assembler = assembler;
        this.waiters = waiters;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** The request {@code row} read under its lock, as {@code request} shows it: ready for a vote. */
    ActionRequests.Locked locked(ActionRequestRow row, ActionRequest request) {
        return new ActionRequests.Locked() {
            @Override
            public ActionRequest request() {
                return request;
            }

            @Override
            public ActionRequest cast(String approver, Vote vote, String comment, Channel via, StandingTerms standing) {
                // In the ask's trace: an operator follows one request from the agent's call to the vote that decided it.
                return tracing.continuing(request.id(), row.traceParent(), "countersign.vote",
                        () -> Voting.this.cast(row, request, approver, vote, comment, via, standing));
            }
        };
    }

    private ActionRequest cast(ActionRequestRow row, ActionRequest request, String approver, Vote vote, String comment, Channel via,
                               StandingTerms proposed) {
        if (proposed != null && vote != Vote.APPROVE) {
            throw dev.countersign.common.ApiProblem.validation(List.of(new dev.countersign.common.ApiProblem.FieldError("standing",
                    "only an APPROVE can stand for the next asks like this one")));
        }
        StandingTerms standing = proposed == null ? null : this.standing.check(row, proposed);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var cast = new ActionRequest.VoteView(approver, vote, comment, via, now, standing);
        votes.insert(request.id(), cast);
        List<ActionRequest.VoteView> all = new ArrayList<>(request.votes());
        all.add(cast);
        // In cast order, as they are read (another instance's clock may run ahead of this one's).
        all.sort(Comparator.comparing(ActionRequest.VoteView::at));
        Map<String, Object> data = new HashMap<>();
        data.put("vote", vote.name());
        data.put("via", via.name());
        if (comment != null) {
            data.put("comment", comment);
        }
        audit.record("vote.cast", approver, request.id(), data);
        events.publishEvent(new VoteCast(request.id(), approver, vote, via));

        Optional<Verdict> verdict = request.verdictAfter(cast);
        if (verdict.isEmpty()) {
            requests.touch(request.id(), now);
            return assembler.of(row.touchedAt(now), List.copyOf(all), null);
        }
        var decided = decisions.decide(request.id(), verdict.get(), via)
                .orElseThrow(() -> new IllegalStateException("request " + request.id() + " was decided under our row lock"));
        if (decided.row().status() == dev.countersign.actions.ActionStatus.APPROVED) {
            // In the deciding transaction: the approval and the standing approval it gives commit together, or neither.
            this.standing.giveIfAgreed(decided.row(), all, now).ifPresent(given -> {
                requests.citeStanding(request.id(), given);
                decided.row().citing(given);
            });
        }
        // With its grant, for this instance's waiting agent only.
        return waiters.decidedInThisTransaction(assembler.of(decided.row(), List.copyOf(all), decided.grant()));
    }
}
