package dev.countersign.workflow.internal;

import dev.countersign.actions.ActionRequestsPurged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts approval processes through Spring Modulith's event publication registry. A {@link ProcessStart} published in
 * the asking transaction is stored with it ({@code event_publication}); after commit it is delivered here, and until
 * this listener completes the registry keeps it and {@code common.EventRedelivery} delivers it again (after a crash,
 * a failed start, an engine away).
 *
 * <p>The registry delivers at least once: it records completion after the listener's run, so a crash in between, or
 * two instances re-delivering the same publication, run it twice. Exactly one process comes of it because
 * {@link ProcessStartOnce} claims the start in the transaction that starts the process.
 */
@Component
class ProcessStarts {

    /** The listener's id in {@code event_publication}: fixed, so that renaming the method strands no publication. */
    static final String LISTENER = "workflow.process-start";

    private final ApplicationEventPublisher events;
    private final JdbcClient jdbc;
    private final ProcessStartOnce once;

    ProcessStarts(ApplicationEventPublisher events, JdbcClient jdbc, ProcessStartOnce once) {
        this.events = events;
        this.jdbc = jdbc;
        this.once = once;
    }

    /** In the caller's transaction: the process start commits with what needs it, or neither does. */
    @Transactional(propagation = Propagation.MANDATORY)
    void schedule(ProcessStart start) {
        events.publishEvent(start);
    }

    /**
     * Gives a request whose process was lost a new one: its claim is released and a start published in one
     * transaction. (Should two reconcilers race on one request, the engine's start skips a request whose process
     * already runs.)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void startAgain(ProcessStart start) {
        jdbc.sql("delete from workflow_process_start where request_id = ?").param(start.requestId()).update();
        schedule(start);
    }

    /** Each delivery of a publication; the start has a transaction of its own ({@link ProcessStartOnce}). */
    @ApplicationModuleListener(id = LISTENER, propagation = Propagation.NOT_SUPPORTED)
    void onStartDue(ProcessStart start) {
        once.start(start);
    }

    /** The claims of purged requests. */
    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from workflow_process_start where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
