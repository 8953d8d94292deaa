package dev.countersign.workflow.internal;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequested;
import dev.countersign.actions.AwaitingApproval;
import dev.countersign.policy.Policy;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A request's approval process, from the events of the actions module: started through the
 * outbox when a request awaits approval, told when that request is decided. The outbox row is
 * written in the asking transaction, so a crash between the commit and the engine call loses
 * nothing and doubles nothing ({@link OutboxRelay} moves it).
 */
@Component
class ProcessLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessLifecycle.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final WorkflowEngine engine;
    private final Policy policy;
    private final ExecutorService telling = Executors.newVirtualThreadPerTaskExecutor();

    ProcessLifecycle(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events, WorkflowEngine engine, Policy policy) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.engine = engine;
        this.policy = policy;
    }

    /** In the asking transaction: the outbox row commits with the request, or neither does. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void onRequested(ActionRequested requested) {
        if (requested.awaiting() != null) {
            scheduleStart(requested.awaiting());
        }
    }

    /** Records that the request's process must start; {@link OutboxRelay} moves it to the engine after commit. */
    @Transactional(propagation = Propagation.MANDATORY)
    void scheduleStart(AwaitingApproval awaiting) {
        ProcessStart start = ProcessStart.of(awaiting, policy.processFor(awaiting.rule()).orElse(ProcessStart.GUARDED_ACTION));
        jdbc.sql("insert into workflow_outbox (request_id, process_id, expires_at, remind_at, created_at) values (?,?,?,?,?)")
                .params(start.requestId(), start.processId(), Timestamp.from(start.expiresAt()), Timestamp.from(start.remindAt()),
                        Timestamp.from(clock.instant()))
                .update();
        events.publishEvent(new OutboxRelay.OutboxWritten(start.requestId()));
    }

    /**
     * After commit and off the deciding thread: neither the approver's answer nor the agent's
     * wake-up waits for the engine. At most once here; {@code DecisionCatchUp} (Flowable) and the
     * expiry job (which finds the request decided) cover a delivery that does not arrive.
     */
    @TransactionalEventListener
    void onDecided(ActionDecided decided) {
        if (decided.awaitedApproval()) {
            telling.execute(() -> deliver(decided.requestId()));
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
