package dev.countersign.actions;

import java.util.function.Supplier;

/**
 * One trace per request, from the agent's ask to the tool's run: what happens to a request later (a vote, a reminder or
 * expiry job, the gateway's forward) runs in a span of the ask's trace, and its log lines carry the ask's trace id and the
 * request's id (MDC {@code traceId}, {@code actionRequest}). With tracing off, the work simply runs.
 */
public interface RequestTraces {

    /** Runs {@code work} in a span named {@code name} of the trace of request {@code requestId}'s ask. */
    <T> T within(String requestId, String name, Supplier<T> work);

    default void within(String requestId, String name, Runnable work) {
        within(requestId, name, () -> {
            work.run();
            return null;
        });
    }
}
