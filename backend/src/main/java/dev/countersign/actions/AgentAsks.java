package dev.countersign.actions;

import dev.countersign.identity.Caller;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's side of the contract, for the REST API ({@code POST /api/v1/actions},
 * {@code GET /api/v1/actions/{id}?wait=N}, {@code POST .../cancel}) and for callers inside
 * Countersign (the MCP gateway) alike: the same parsing, catalog, policy, idempotency and
 * coalescing, never an HTTP call to itself.
 */
public interface AgentAsks {

    /** The largest body an ask takes: larger inputs go by reference (a URI in the arguments). */
    int MAX_BODY_BYTES = 64 * 1024;

    /** The refusal of a body over {@link #MAX_BODY_BYTES}, wherever it is noticed. */
    static dev.countersign.common.ApiProblem bodyTooLarge() {
        return new dev.countersign.common.ApiProblem(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
                "The body is over 64 KiB; send large inputs by reference (e.g. a URI in arguments)");
    }

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

    /** The agent's own request as it reads it now (with its grant once approved); anyone else's is {@code 404}, as a missing one. */
    ActionRequest read(Caller.Agent agent, String requestId);

    /** Withdraws the agent's own request (a decided one stays as it is); answers it as it now stands. */
    ActionRequest cancel(Caller.Agent agent, String requestId);

    /** What an ask was answered: the request, and whether it was created now or joined a pending one. */
    record Asked(ActionRequest request, boolean created, boolean coalesced) {
    }
}
