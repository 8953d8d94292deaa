package dev.countersign.workflow.internal;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequested;
import dev.countersign.actions.AwaitingApproval;
import dev.countersign.common.AfterCommit;
import dev.countersign.policy.Policy;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A request's approval process, from the events of the actions module: started when a request
 * awaits approval, told when that request is decided. The start is published in the asking
 * transaction and kept by the event publication registry until {@link ProcessStarts} has run it,
 * so a crash between the commit and the engine call loses nothing and doubles nothing.
 */
@Component
class ProcessLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessLifecycle.class);

    private final ProcessStarts starts;
    private final WorkflowEngine engine;
    private final Policy policy;
    private final ExecutorService telling = Executors.newVirtualThreadPerTaskExecutor();

    ProcessLifecycle(ProcessStarts starts, WorkflowEngine engine, Policy policy) {
        this.starts = starts;
        this.engine = engine;
        this.policy = policy;
    }

    /** In the asking transaction: the process start commits with the request, or neither does. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void onRequested(ActionRequested requested) {
        if (requested.awaiting() != null) {
            starts.schedule(processStart(requested.awaiting()));
        }
    }

    /** The process the request's rule names (the policy's {@code process:}), else the guarded action's. */
    ProcessStart processStart(AwaitingApproval awaiting) {
        return ProcessStart.of(awaiting, policy.processFor(awaiting.rule()).orElse(ProcessStart.GUARDED_ACTION));
    }

    /**
     * After commit and off the deciding thread: neither the approver's answer nor the agent's
     * wake-up waits for the engine. At most once here, and not through the publication registry
     * (a stored publication per decision would put two writes on the deciding path for nothing):
     * {@code DecisionCatchUp} (Flowable) and the expiry job (which finds the request decided) cover
     * a delivery that does not arrive.
     */
    @EventListener
    void onDecided(ActionDecided decided) {
        if (decided.awaitedApproval()) {
            AfterCommit.react(() -> telling.execute(() -> deliver(decided.requestId())));
        }
    }

    @PreDestroy
    void stop() {
        telling.shutdown();
    }

    private void deliver(String requestId) {
        try {
            engine.deliverDecision(requestId);
        } catch (RuntimeException e) {
            log.warn("Could not tell the engine that {} is decided: {}", requestId, e.toString());
        }
    }
}
