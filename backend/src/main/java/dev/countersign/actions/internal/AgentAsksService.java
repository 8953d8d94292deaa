package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.AgentAsks;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/** {@link AgentAsks} on the parser, intake and waiters that serve the API. */
@Component
class AgentAsksService implements AgentAsks {

    private final SubmissionParser parser;
    private final ActionIntake intake;
    private final ActionRequestRepository requests;
    private final ActionRequestAssembler assembler;
    private final DecisionWaiters waiters;

    AgentAsksService(SubmissionParser parser, ActionIntake intake, ActionRequestRepository requests, ActionRequestAssembler assembler,
                     DecisionWaiters waiters) {
        this.parser = parser;
        this.intake = intake;
        this.requests = requests;
        this.assembler = assembler;
        this.waiters = waiters;
    }

    @Override
    public Asked ask(Caller.Agent agent, String idempotencyKey, byte[] body) {
        if (body.length > SubmissionParser.MAX_BODY_BYTES) {
            throw ActionController.tooLarge();
        }
        var outcome = intake.submit(agent, idempotencyKey, parser.parse(body));
        return new Asked(outcome.request(), outcome.created(), outcome.coalesced());
    }

    @Override
    public CompletableFuture<ActionRequest> await(Caller.Agent agent, String requestId, Duration wait) {
        ActionRequest now = read(agent, requestId);
        if (now.status().isFinal()) {
            return CompletableFuture.completedFuture(now);
        }
        return waiters.await(requestId, wait, () -> read(agent, requestId), now);
    }

    private ActionRequest read(Caller.Agent agent, String requestId) {
        return requests.row(requestId).filter(request -> request.agentId().equals(agent.id()))
                .map(request -> assembler.forAgent(request))
                .orElseThrow(() -> ApiProblem.notFound("Action request " + requestId));
    }
}
