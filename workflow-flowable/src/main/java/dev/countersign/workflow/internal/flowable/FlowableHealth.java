package dev.countersign.workflow.internal.flowable;

import java.time.Duration;
import java.time.Instant;
import org.flowable.engine.ManagementService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code workflowEngine} in {@code /actuator/health} (shown to admins), for the embedded engine: whether this instance
 * still takes its jobs (notify, remind, expire), how many timers wait, and how many jobs gave up (dead letters, which
 * need an operator). DOWN when the worker has not polled for a while: reminders and expiries would stop here. Not in
 * readiness, like every component but the database.
 */
@Component("workflowEngine")
@ConditionalOnProperty(name = "countersign.engine", havingValue = "flowable", matchIfMissing = true)
class FlowableHealth implements HealthIndicator {

    /** Far beyond the poll interval (250 ms) and a slow poll, well within a job's lock (30 s). */
    private static final Duration STALLED = Duration.ofSeconds(20);

    private final ManagementService management;
    private final FlowableJobWorker worker;

    FlowableHealth(ManagementService management, FlowableJobWorker worker) {
        this.management = management;
        this.worker = worker;
    }

    @Override
    public Health health() {
        Instant polled = worker.polledAt();
        boolean polling = polled != null && Duration.between(polled, Instant.now()).compareTo(STALLED) < 0;
        return (polling ? Health.up() : Health.down().withDetail("problem", polled == null ? "the job worker has not polled yet"
                        : "the job worker has not polled since " + polled + ": reminders and expiries are not run by this instance"))
                .withDetail("engine", "flowable (embedded)")
                .withDetail("lastPoll", String.valueOf(polled))
                .withDetail("timers", management.createTimerJobQuery().count())
                .withDetail("deadLetterJobs", management.createDeadLetterJobQuery().count())
                .build();
    }
}
