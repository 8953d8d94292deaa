package dev.countersign.workflow.internal;

import dev.countersign.workflow.ProcessStart;
import dev.countersign.workflow.WorkflowEngine;
import dev.countersign.workflow.Workflows;
import java.sql.Timestamp;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Component
class OutboxWorkflows implements Workflows {

    private static final Logger log = LoggerFactory.getLogger(OutboxWorkflows.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final WorkflowEngine engine;
    private final ExecutorService telling = Executors.newVirtualThreadPerTaskExecutor();

    OutboxWorkflows(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events, WorkflowEngine engine) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.engine = engine;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void scheduleStart(ProcessStart start) {
        jdbc.sql("insert into workflow_outbox (request_id, process_id, expires_at, remind_at, created_at) values (?,?,?,?,?)")
                .params(start.requestId(), start.processId(), Timestamp.from(start.expiresAt()), Timestamp.from(start.remindAt()),
                        Timestamp.from(clock.instant()))
                .update();
        events.publishEvent(new OutboxRelay.OutboxWritten(start.requestId()));
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void decidedAfterCommit(String requestId) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                // Off the deciding thread: neither the approver's answer nor the agent's wake-up waits for the engine.
                telling.execute(() -> tell(requestId));
            }
        });
    }

    @PreDestroy
    void stop() {
        telling.shutdown();
    }

    private void tell(String requestId) {
        try {
            engine.decided(requestId);
        } catch (RuntimeException e) {
            // The decision is committed; a process that is not told only lingers until its expiry job,
            // which finds the request decided and does nothing.
            log.warn("Could not tell the engine that {} is decided: {}", requestId, e.toString());
        }
    }
}
