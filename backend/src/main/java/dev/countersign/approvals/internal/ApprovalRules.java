package dev.countersign.approvals.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.approvals.Approvals;
import dev.countersign.common.ApiProblem;
import dev.countersign.common.ApiProblem.FieldError;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

@Component
@org.springframework.boot.context.properties.EnableConfigurationProperties(dev.countersign.approvals.ApprovalsProperties.class)
class ApprovalRules implements Approvals {

    private final ActionRequests actions;
    private final Callers callers;
    private final dev.countersign.policy.Policy policy;
    private final dev.countersign.actions.Insights insights;
    private final dev.countersign.approvals.ApprovalsProperties.Fatigue fatigue;
    private final java.time.Clock clock;

    private final dev.countersign.catalog.ToolCatalog catalog;

    ApprovalRules(ActionRequests actions, Callers callers, dev.countersign.policy.Policy policy, dev.countersign.actions.Insights insights,
                  dev.countersign.approvals.ApprovalsProperties properties, java.time.Clock clock, dev.countersign.catalog.ToolCatalog catalog) {
        this.catalog = catalog;
        this.actions = actions;
        this.callers = callers;
        this.policy = policy;
        this.insights = insights;
        this.fatigue = properties.fatigue();
        this.clock = clock;
    }

    @Override
    @Transactional
    public ActionRequest vote(Caller.Approver approver, String requestId, Vote vote, String comment, Channel channel) {
        return vote(approver, requestId, vote, comment, channel, null);
    }

    @Override
    @Transactional
    public ActionRequest vote(Caller.Approver approver, String requestId, Vote vote, String comment, Channel channel,
                              dev.countersign.actions.StandingTerms standing) {
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        if (vote == Vote.DENY && note == null) {
            throw ApiProblem.validation(List.of(new FieldError("comment", "is required with DENY: tell the agent's owner why")));
        }
        if (note != null && note.length() > 2000) {
            throw ApiProblem.validation(List.of(new FieldError("comment", "must be at most 2000 characters")));
        }
        // The row lock makes votes on one request count one after another, on every instance.
        ActionRequests.Locked locked = actions.lock(requestId).orElseThrow(() -> ApiProblem.notFound("Action request " + requestId));
        ActionRequest request = locked.request();
        if (!isEligible(approver, request)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "not_eligible",
                    "You are not among this request's approvers (" + String.join(", ", approvers(request)) + ")");
        }
        if (isSubject(approver, request)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "self_approval",
                    "You are the subject of this request (on behalf of you, or your agent); someone else must decide");
        }
        if (hasVoted(approver, request)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "already_voted", "Your vote on this request was already counted");
        }
        if (request.status() != ActionStatus.PENDING) {
            throw new ApiProblem(HttpStatus.CONFLICT, "not_pending",
                    "This request is already " + request.status() + "; it takes no more votes");
        }
        callers.switchedOff(request.chainAgents()).ifPresent(agent -> {
            throw new ApiProblem(HttpStatus.CONFLICT, "not_pending", "Agent '" + agent + "' is switched off; its requests take no more votes");
        });
        if (vote == Vote.APPROVE) {
            stepUpRefusal(approver, request, channel).ifPresent(refusal -> {
                throw refusal;
            });
            if (note == null && isTired(approver)) {
                throw ApiProblem.validation(List.of(new FieldError("comment", "is required now: you approved " + fatigue.approvals()
                        + " or more requests in the last " + fatigue.within().toMinutes() + " min; say why this one is right")));
            }
        }
        // The request counts it, under the row lock it was read with, and decides itself when the vote completes it.
        return locked.cast(approver.id(), vote, note, channel, standing);
    }

    /**
     * A rule with {@code stepUp} counts an approval only from a sign-in within its {@code maxAge}, and never from Slack
     * (a button press proves nothing about who holds the phone). Denials need no step-up: they can only stop things.
     */
    private Optional<ApiProblem> stepUpRefusal(Caller.Approver approver, ActionRequest request, Channel channel) {
        var maxAge = stepUp(request);
        if (maxAge.isEmpty()) {
            return Optional.empty();
        }
        var properties = java.util.Map.<String, Object>of("maxAge", maxAge.get().toString());
        if (channel == Channel.SLACK) {
            return Optional.of(new ApiProblem(HttpStatus.FORBIDDEN, "step_up_required", "Rule '" + request.decision().rule()
                    + "' needs a fresh sign-in to approve: open the request in the console", properties));
        }
        var signedIn = approver.signedInAt();
        if (!approver.signedInWithin(maxAge.get(), clock.instant())) {
            return Optional.of(new ApiProblem(HttpStatus.FORBIDDEN, "step_up_required", "Rule '" + request.decision().rule()
                    + "' counts an approval only within " + maxAge.get().toMinutes() + " min of signing in"
                    + (signedIn == null ? "" : " (you signed in " + java.time.Duration.between(signedIn, clock.instant()).toMinutes() + " min ago)")
                    + ": sign in again (a new token, or the console's \"Sign in again\") and vote within that time", properties));
        }
        return Optional.empty();
    }

    @Override
    public Optional<java.time.Duration> stepUp(ActionRequest request) {
        return request.decision() == null || request.decision().rule() == null ? Optional.empty() : policy.stepUp(request.decision().rule());
    }

    @Override
    public dev.countersign.approvals.Brief brief(ActionRequest request) {
        String rule = request.decision() == null ? null : request.decision().rule();
        return new dev.countersign.approvals.Brief(catalog.describe(request.tool()).orElse(null),
                request.status() == ActionStatus.PENDING ? insights.unusual(request) : List.of(),
                stepUp(request).orElse(null), rule != null && policy.approvesInGroups(rule));
    }

    @Override
    public boolean isTired(Caller.Approver approver) {
        return fatigue.enabled() && insights.approvalsBy(approver.id(), clock.instant().minus(fatigue.within())) >= fatigue.approvals();
    }

    @Override
    public Optional<String> whyNot(Caller.Approver approver, ActionRequest request) {
        if (!isEligible(approver, request)) {
            return Optional.of("You are not among this request's approvers");
        }
        if (isSubject(approver, request)) {
            return Optional.of("You are the subject of this request; someone else must decide");
        }
        if (hasVoted(approver, request)) {
            return Optional.of("You have already voted");
        }
        if (request.status() != ActionStatus.PENDING) {
            return Optional.of("This request is " + request.status().name().toLowerCase() + "; it takes no more votes");
        }
        return Optional.empty();
    }

    @Override
    public boolean isEligible(Caller.Approver approver, ActionRequest request) {
        var principals = approver.principals();
        return approvers(request).stream().anyMatch(principals::contains);
    }

    /**
     * Nobody approves what is done for them: anyone on whose behalf it was asked (also by an ask
     * that coalesced onto it), the owner of the asking agent and of every agent of its delegation
     * chain, and the person at the chain's root.
     */
    private boolean isSubject(Caller.Approver approver, ActionRequest request) {
        if (approver.is(request.onBehalfOf())
                || request.chainAgents().stream().anyMatch(agent -> callers.ownerOf(agent).map(approver::is).orElse(false))
                || (request.delegation() != null && request.delegation().rootIsPerson() && approver.is(request.delegation().root()))) {
            return true;
        }
        return actions.subjects(request.id()).stream().anyMatch(approver::is);
    }

    private static boolean hasVoted(Caller.Approver approver, ActionRequest request) {
        return request.votes().stream().anyMatch(v -> v.approver().equals(approver.id()));
    }

    private static List<String> approvers(ActionRequest request) {
        return request.approval() == null ? List.of() : request.approval().approvers();
    }
}
