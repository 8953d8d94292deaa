package dev.countersign.workflow.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.AwaitingApproval;
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
 * The safety net under the process starts: any PENDING request without a running process (engine state
 * lost, a process deleted by hand) gets one again, with whatever time it has left. Runs at
 * start-up and every few minutes; a start is idempotent, so running it twice is harmless.
 */
@Component
class ProcessReconciler {

    private static final Logger log = LoggerFactory.getLogger(ProcessReconciler.class);
    /** Younger requests may still have their start in flight (published, not yet run). */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final ActionRequests actions;
    private final WorkflowEngine engine;
    private final ProcessLifecycle lifecycle;
    private final ProcessStarts starts;
    private final TransactionTemplate tx;
    private final Clock clock;

    ProcessReconciler(ActionRequests actions, WorkflowEngine engine, ProcessLifecycle lifecycle, ProcessStarts starts,
                      TransactionTemplate tx, Clock clock) {
        this.starts = starts;
        this.actions = actions;
        this.engine = engine;
        this.lifecycle = lifecycle;
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

    /** Returns how many processes it restarted. */
    int reconcile(Instant now) {
        int restarted = 0;
        for (AwaitingApproval awaiting : actions.awaitingSince(now.minus(GRACE))) {
            if (engine.isRunning(awaiting.requestId())) {
                continue;
            }
            // Timers at instants already past fire at once: an overdue request expires the usual way.
            tx.executeWithoutResult(status -> starts.startAgain(lifecycle.processStart(awaiting)));
            restarted++;
        }
        if (restarted > 0) {
            log.warn("Reconciler restarted the approval process of {} pending request(s) that had none", restarted);
        }
        return restarted;
    }
}
