package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.policy.Policy;
import dev.countersign.workflow.ProcessStart;
import dev.countersign.workflow.WorkflowEngine;
import dev.countersign.workflow.Workflows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The safety net under the outbox: any PENDING request without a running process (engine state
 * lost, a process deleted by hand) gets one again, with whatever time it has left. Runs at
 * start-up and every few minutes; a start is idempotent, so running it twice is harmless.
 */
@Component
class ProcessReconciler {

    private static final Logger log = LoggerFactory.getLogger(ProcessReconciler.class);
    /** Younger requests may still have their start in flight in the outbox. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final ActionRequestRepository requests;
    private final WorkflowEngine engine;
    private final Workflows workflows;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Policy policy;

    ProcessReconciler(ActionRequestRepository requests, WorkflowEngine engine, Workflows workflows, TransactionTemplate tx, Clock clock,
                      Policy policy) {
        this.policy = policy;
        this.requests = requests;
        this.engine = engine;
        this.workflows = workflows;
        this.tx = tx;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartUp() {
        reconcile(clock.instant());
    }

    @Scheduled(fixedDelayString = "${countersign.workflow.reconcile-every:5m}", initialDelayString = "${countersign.workflow.reconcile-every:5m}")
    void onSchedule() {
        reconcile(clock.instant());
    }

    int reconcile(Instant now) {
        int restarted = 0;
        for (ActionRequestEntity request : requests.findByStatusAndCreatedAtBefore(ActionStatus.PENDING, now.minus(GRACE))) {
            if (engine.isRunning(request.id())) {
                continue;
            }
            // Timers at instants already past fire at once: an overdue request expires the usual way.
            tx.executeWithoutResult(status -> workflows.scheduleStart(new ProcessStart(request.id(),
                    policy.processFor(request.rule()).orElse(ProcessStart.GUARDED_ACTION),
                    request.expiresAt(), ProcessStart.remindAtOrNever(request.remindAt(), request.expiresAt()))));
            restarted++;
        }
        if (restarted > 0) {
            log.warn("Reconciler restarted the approval process of {} pending request(s) that had none", restarted);
        }
        return restarted;
    }
}
