package dev.countersign.workflow.internal;

import org.springframework.context.event.EventListener;
import dev.countersign.actions.ActionRequestsPurged;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves outbox rows into the engine. Each row is claimed by a conditional update in the same
 * transaction that starts the process (Flowable shares our database and transaction), so two
 * relays on two instances can never start the same process twice, and a crash never loses one.
 */
@Component
class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    record OutboxWritten(String requestId) {
    }

    private final JdbcClient jdbc;
    private final WorkflowEngine engine;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ActionRequests actions;

    OutboxRelay(JdbcClient jdbc, WorkflowEngine engine, TransactionTemplate tx, Clock clock, ActionRequests actions) {
        this.actions = actions;
        this.jdbc = jdbc;
        this.engine = engine;
        this.tx = tx;
        this.clock = clock;
    }

    /** Right after the request commits, its own row only: concurrent requests never queue behind each other here. */
    @Async
    @TransactionalEventListener
    void onWritten(OutboxWritten written) {
        relay(rows("where processed_at is null and request_id = ?", written.requestId()));
    }

    /** Whatever the after-commit path missed (a crash, a failed start). */
    @Scheduled(fixedDelayString = "${countersign.workflow.outbox-poll:2s}")
    void relay() {
        relay(rows("where processed_at is null order by id limit 100"));
    }

    private List<Row> rows(String where, Object... params) {
        var statement = jdbc.sql("select id, request_id, process_id, expires_at, remind_at from workflow_outbox " + where);
        for (Object param : params) {
            statement = statement.param(param);
        }
        return statement.query((rs, n) -> new Row(rs.getLong("id"), new ProcessStart(rs.getString("request_id"),
                        rs.getString("process_id"), rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("remind_at").toInstant())))
                .list();
    }

    private void relay(List<Row> rows) {
        for (Row row : rows) {
            try {
                tx.executeWithoutResult(status -> {
                    int claimed = jdbc.sql("update workflow_outbox set processed_at = ? where id = ? and processed_at is null")
                            .params(Timestamp.from(clock.instant()), row.id()).update();
                    // Decided before its process could start (cancelled at once, say): it needs no process.
                    if (claimed == 1 && actions.status(row.start().requestId()).orElse(null) == ActionStatus.PENDING) {
                        engine.start(row.start());
                    }
                });
            } catch (RuntimeException e) {
                log.warn("Process start for {} failed, will retry: {}", row.start().requestId(), e.toString());
            }
        }
    }

    private record Row(long id, ProcessStart start) {
    }

    /** The process starts relayed for purged requests. */
    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from workflow_outbox where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
