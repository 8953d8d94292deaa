package dev.countersign.workflow.internal.flowable;

import dev.countersign.actions.ActionRequests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Flowable keeps no message for a process that does not wait for it yet, and a completed
 * external-worker job continues its process asynchronously: a decision made while notify runs
 * (or just after) finds no waiting process to tell. Every second, processes of requests decided
 * in the last two minutes that still run are told again; telling twice is harmless, and a
 * process missed even so ends at its expiry, whose job finds the request decided.
 */
@Component
@ConditionalOnProperty(name = "countersign.engine", havingValue = "flowable", matchIfMissing = true)
class DecisionCatchUp {

    private static final Logger log = LoggerFactory.getLogger(DecisionCatchUp.class);
    private static final Duration WINDOW = Duration.ofMinutes(2);
    /** Younger decisions are still being delivered right after their commit. */
    private static final Duration SETTLE = Duration.ofMillis(500);

    private final ActionRequests actions;
    private final FlowableWorkflowEngine engine;
    private final Clock clock;

    DecisionCatchUp(ActionRequests actions, FlowableWorkflowEngine engine, Clock clock) {
        this.actions = actions;
        this.engine = engine;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${countersign.workflow.catch-up:1s}", initialDelayString = "${countersign.workflow.catch-up:1s}")
    void catchUp() {
        Instant now = clock.instant();
        for (String requestId : actions.decidedBetween(now.minus(WINDOW), now.minus(SETTLE), 200)) {
            try {
                if (engine.isRunning(requestId)) {
                    log.debug("Telling the process of {} that it is decided", requestId);
                    engine.deliverDecision(requestId);
                }
            } catch (RuntimeException e) {
                log.warn("Could not tell the process of {} that it is decided: {}", requestId, e.toString());
            }
        }
    }
}
