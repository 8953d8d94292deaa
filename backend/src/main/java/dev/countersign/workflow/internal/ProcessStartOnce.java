package dev.countersign.workflow.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * One process per request however often its start is delivered: the start claims {@code workflow_process_start}
 * (primary key: the request) in the transaction that starts the process, which Flowable shares with us, so a claim
 * commits if and only if its process does. Camunda 8's adapter claims its own {@code camunda_instance} row likewise.
 */
@Component
class ProcessStartOnce {

    private static final Logger log = LoggerFactory.getLogger(ProcessStartOnce.class);

    private final JdbcClient jdbc;
    private final WorkflowEngine engine;
    private final ActionRequests actions;
    private final Clock clock;

    ProcessStartOnce(JdbcClient jdbc, WorkflowEngine engine, ActionRequests actions, Clock clock) {
        this.jdbc = jdbc;
        this.engine = engine;
        this.actions = actions;
        this.clock = clock;
    }

    /** {@code true} when this call claimed the start (and started the process if the request still needed one). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean start(ProcessStart start) {
        if (!claim(start.requestId())) {
            return false;
        }
        // Decided before its process could start (cancelled at once, say): it needs none, now or later.
        if (actions.status(start.requestId()).orElse(null) == ActionStatus.PENDING) {
            engine.start(start);
        }
        return true;
    }

    /** {@code false} when another delivery has claimed this request's start. */
    private boolean claim(String requestId) {
        try {
            return jdbc.sql("""
                            insert into workflow_process_start (request_id, claimed_at)
                            select ?, ?
                            where not exists (select 1 from workflow_process_start where request_id = ?)""")
                    .params(requestId, Timestamp.from(clock.instant()), requestId).update() == 1;
        } catch (DuplicateKeyException concurrent) {
            // A concurrent delivery committed its claim first (PostgreSQL has aborted this transaction): it started it.
            log.debug("The process start of {} was claimed by another delivery", requestId);
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            return false;
        }
    }
}
