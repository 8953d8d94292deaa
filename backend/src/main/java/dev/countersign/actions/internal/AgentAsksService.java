package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.AgentAsks;
import dev.countersign.actions.Verdict;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/** {@link AgentAsks} on the parser, intake, store and waiters. */
@Component
class AgentAsksService implements AgentAsks {

    private final SubmissionParser parser;
    private final ActionIntake intake;
    private final ActionRequestRepository requests;
    private final ActionRequestAssembler assembler;
    private final DecisionWaiters waiters;
    private final ActionRequests actions;

    private final RequestTracing tracing;

    AgentAsksService(SubmissionParser parser, ActionIntake intake, ActionRequestRepository requests, ActionRequestAssembler assembler,
                     DecisionWaiters waiters, ActionRequests actions, RequestTracing tracing) {
        this.tracing = tracing;
        this.actions = actions;
        this.parser = parser;
        this.intake = intake;
        this.requests = requests;
        this.assembler = assembler;
        this.waiters = waiters;
    }

    @Override
    public Asked ask(Caller.Agent agent, String idempotencyKey, byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw AgentAsks.bodyTooLarge();
        }
        var submission = parser.parse(body);
        // Its own span, whose traceparent is stored with the request: what happens to it later joins this trace.
        var outcome = tracing.asking(() -> intake.submit(agent, idempotencyKey, submission));
        return new Asked(outcome.request(), outcome.created(), outcome.coalesced());
    }

    @Override
    public CompletableFuture<ActionRequest> await(Caller.Agent agent, String requestId, Duration wait) {
        return waiters.await(requestId, wait, () -> read(agent, requestId));
    }

    @Override
    public ActionRequest read(Caller.Agent agent, String requestId) {
        return assembler.forAgent(own(agent, requestId));
    }

    @Override
    public ActionRequest cancel(Caller.Agent agent, String requestId) {
        own(agent, requestId);
        // Withdrawn now: the request as it was decided (a cancelled one has no grant to add). Decided already, maybe just
        // now by someone else: read as it is.
        return actions.decide(requestId, Verdict.cancelled(agent.id())).orElseGet(() -> read(agent, requestId));
    }

    /** Someone else's request answers exactly like a missing one: ids must not be probed. */
    private ActionRequestRow own(Caller.Agent agent, String requestId) {
        return requests.row(requestId).filter(request -> request.agentId().equals(agent.id()))
                .orElseThrow(() -> ApiProblem.notFound("Action request " + requestId));
    }
}
