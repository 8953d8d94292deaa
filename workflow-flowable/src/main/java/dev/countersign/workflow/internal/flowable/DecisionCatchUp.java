package dev.countersign.workflow.internal.flowable;

import dev.countersign.actions.ActionRequests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Flowable keeps no message for a process that does not wait for it yet, a completed
 * external-worker job continues its process asynchronously, and a decision made while the
 * database or the engine was away was never delivered: every second, each running process whose
 * request is already decided is told again, however many there are and however long ago they
 * were decided. The engine's running processes are read a page at a time and their requests'
 * statuses in one query per page. Telling twice is harmless.
 */
@Component
@ConditionalOnProperty(name = "countersign.engine", havingValue = "flowable", matchIfMissing = true)
class DecisionCatchUp {

    private static final Logger log = LoggerFactory.getLogger(DecisionCatchUp.class);
    /** Younger decisions are still being delivered right after their commit. */
    private static final Duration SETTLE = Duration.ofMillis(500);

    private final ActionRequests actions;
    private final FlowableWorkflowEngine engine;
    private final Clock clock;
    private final int page;

    DecisionCatchUp(ActionRequests actions, FlowableWorkflowEngine engine, Clock clock,
                    @org.springframework.beans.factory.annotation.Value("${countersign.workflow.catch-up-page:500}") int page) {
        this.actions = actions;
        this.engine = engine;
        this.clock = clock;
        this.page = page;
    }

    @Scheduled(fixedDelayString = "${countersign.workflow.catch-up:1s}", initialDelayString = "${countersign.workflow.catch-up:1s}")
    void catchUp() {
        Instant settled = clock.instant().minus(SETTLE);
        for (int first = 0; ; first += page) {
            List<String> running = engine.runningRequests(first, page);
            if (running.isEmpty()) {
                return;
            }
            for (String requestId : actions.decidedAmong(running, settled)) {
                try {
                    log.debug("Telling the process of {} that it is decided", requestId);
                    engine.deliverDecision(requestId);
                } catch (RuntimeException e) {
                    log.warn("Could not tell the process of {} that it is decided: {}", requestId, e.toString());
                }
            }
            if (running.size() < page) {
                return;
            }
        }
    }
}
