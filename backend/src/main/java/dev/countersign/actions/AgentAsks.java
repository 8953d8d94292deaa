package dev.countersign.actions;

import dev.countersign.identity.Caller;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's side of the contract for callers inside Countersign (the MCP gateway): the very
 * service behind {@code POST /api/v1/actions} and {@code GET /api/v1/actions/{id}?wait=N}, with
 * the same parsing, catalog, policy, idempotency and coalescing, never an HTTP call to itself.
 */
public interface AgentAsks {

    /**
     * Asks as {@code POST /api/v1/actions} with this body and Idempotency-Key does; refusals are
     * the same {@link dev.countersign.common.ApiProblem}s the API answers with.
     */
    Asked ask(Caller.Agent agent, String idempotencyKey, byte[] body);

    /**
     * The agent's own request as it reads it (with its grant once approved), as soon as it is
     * decided or when {@code wait} has passed, whichever comes first. Never holds a thread while
     * it waits.
     */
    CompletableFuture<ActionRequest> await(Caller.Agent agent, String requestId, Duration wait);

    /** What an ask was answered: the request, and whether it was created now or joined a pending one. */
    record Asked(ActionRequest request, boolean created, boolean coalesced) {
    }
}
