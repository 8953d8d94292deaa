package dev.countersign.actions.internal;

import dev.countersign.actions.RequestTraces;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Component;

/**
 * The ask's span and the spans that continue its trace. The ask is a sending observation: the tracer writes its W3C
 * {@code traceparent} into a map, which is stored with the request; a vote, a job or a forward is a receiving
 * observation whose parent is read from that map, so whatever instance does it, hours later, it joins the same trace.
 * Only the Observation API is used here: with no tracer on the class path nothing is written and nothing is joined.
 */
@Component
class RequestTracing implements RequestTraces {

    static final String ASK = "countersign.ask";
    private static final String TRACEPARENT = "traceparent";
    /** The MDC key of the request a log line is about (its value: the request's id). */
    static final String REQUEST_KEY = "actionRequest";

    private final ObservationRegistry observations;
    private final ActionRequestRepository requests;

    RequestTracing(ObservationRegistry observations, ActionRequestRepository requests) {
        this.observations = observations;
        this.requests = requests;
    }

    /**
     * Runs an ask in its own span; {@link #askTrace()} gives that span's traceparent while it runs. The request's id,
     * put in the logging context once known, is taken out again when the ask returns: an ask may run on a pooled thread
     * (the MCP SDK's), whose next work is about something else.
     */
    <T> T asking(Supplier<T> ask) {
        var context = new SenderContext<Map<String, String>>((carrier, key, value) -> carrier.put(key, value));
        context.setCarrier(new HashMap<>());
        String before = MDC.get(REQUEST_KEY);
        try {
            return Observation.createNotStarted(ASK, () -> context, observations).observe(ask);
        } finally {
            restore(before);
        }
    }

    private static void restore(String requestId) {
        if (requestId == null) {
            MDC.remove(REQUEST_KEY);
        } else {
            MDC.put(REQUEST_KEY, requestId);
        }
    }

    /** The traceparent of the ask running on this thread (null when tracing is off or no ask runs). */
    String askTrace() {
        for (Observation current = observations.getCurrentObservation(); current != null;
             current = current.getContextView().getParentObservation() instanceof Observation parent ? parent : null) {
            if (ASK.equals(current.getContextView().getName()) && current.getContextView() instanceof SenderContext<?> sender
                    && sender.getCarrier() instanceof Map<?, ?> carrier) {
                return carrier.get(TRACEPARENT) instanceof String traceParent ? traceParent : null;
            }
        }
        return null;
    }

    /** Says which request the rest of this thread's work (and its log lines) is about. */
    static void about(String requestId) {
        MDC.put(REQUEST_KEY, requestId);
    }

    /**
     * Runs {@code work} in a span of the trace {@code traceParent} names (a new trace when null), about the request. Inside
     * a transaction the span stays open until it completes, so what runs after commit (the decision's log line, waking
     * waiters, telling the process) is part of it too.
     */
    <T> T continuing(String requestId, String traceParent, String name, Supplier<T> work) {
        var context = new ReceiverContext<Map<String, String>>((carrier, key) -> carrier.get(key));
        context.setCarrier(traceParent == null ? Map.of() : Map.of(TRACEPARENT, traceParent));
        String before = MDC.get(REQUEST_KEY);
        Observation observation = Observation.createNotStarted(name, () -> context, observations).start();
        Observation.Scope scope = observation.openScope();
        // The tracer's scope sets its own MDC keys on open; ours goes in after, so that it is there for the work.
        about(requestId);
        Runnable end = () -> {
            scope.close();
            observation.stop();
            restore(before);
        };
        boolean endsWithTransaction = false;
        try {
            T result = work.get();
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        end.run();
                    }
                });
                endsWithTransaction = true;
            }
            return result;
        } catch (RuntimeException | Error failed) {
            observation.error(failed);
            throw failed;
        } finally {
            if (!endsWithTransaction) {
                end.run();
            }
        }
    }

    @Override
    public <T> T within(String requestId, String name, Supplier<T> work) {
        String traceParent = requests.traceParentOf(requestId).orElse(null);
        return continuing(requestId, traceParent, name, work);
    }
}
