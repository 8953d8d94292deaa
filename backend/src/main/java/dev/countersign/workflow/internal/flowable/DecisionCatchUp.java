package dev.countersign.workflow.internal.flowable;

import dev.countersign.workflow.DecisionState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The safety net under the two fast paths that tell a process it is decided (after the decision
 * commits, and when a job of the process completes): every few seconds, processes of requests
 * decided in the last ten minutes that still run are told again. Telling twice is harmless.
 */
@Component
class DecisionCatchUp {

    private static final Logger log = LoggerFactory.getLogger(DecisionCatchUp.class);
    private static final Duration WINDOW = Duration.ofMinutes(10);
    /** Younger decisions are still being delivered by the fast paths. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final DecisionState decisions;
    private final FlowableWorkflowEngine engine;
    private final Clock clock;

    DecisionCatchUp(DecisionState decisions, FlowableWorkflowEngine engine, Clock clock) {
        this.decisions = decisions;
        this.engine = engine;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${countersign.workflow.catch-up:5s}", initialDelayString = "${countersign.workflow.catch-up:5s}")
    void catchUp() {
        Instant now = clock.instant();
        for (String requestId : decisions.decidedBetween(now.minus(WINDOW), now.minus(SETTLE), 500)) {
            try {
                if (engine.isRunning(requestId)) {
                    log.info("Telling the process of {} again that it is decided", requestId);
                    engine.decided(requestId);
                }
            } catch (RuntimeException e) {
                log.warn("Could not tell the process of {} that it is decided: {}", requestId, e.toString());
            }
        }
    }
}
