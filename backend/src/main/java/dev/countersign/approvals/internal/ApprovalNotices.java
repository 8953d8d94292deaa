package dev.countersign.approvals.internal;

import org.springframework.context.event.EventListener;
import dev.countersign.actions.ActionRequestsPurged;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes an approval notice (requested, reminder) at most once per request. Engines deliver
 * jobs at least once: the notice is claimed by inserting its primary key in the handler's
 * transaction, so the first delivery publishes, a redelivery finds the row and does nothing, and
 * a handler that fails rolls its claim back and is retried.
 */
@Component
class ApprovalNotices {

    private final ActionRequests actions;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final Clock clock;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    ApprovalNotices(ActionRequests actions, ApplicationEventPublisher events, AuditLog audit, JdbcClient jdbc, Clock clock,
                    io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.actions = actions;
        this.events = events;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** For a request still pending, and only the first time: publish the event and audit it. */
    @Transactional(propagation = Propagation.MANDATORY)
    void publishOnce(String requestId, String kind, Function<ActionRequest, Object> event, String auditType,
                     Function<ActionRequest, Map<String, ?>> auditData) {
        actions.find(requestId)
                .filter(request -> request.status() == ActionStatus.PENDING)
                .filter(request -> claim(request.id(), kind))
                .ifPresent(request -> {
                    events.publishEvent(event.apply(request));
                    audit.record(auditType, "countersign", request.id(), auditData.apply(request));
                    String rule = request.decision() == null || request.decision().rule() == null ? "none" : request.decision().rule();
                    dev.countersign.common.AfterCommit.run(() -> io.micrometer.core.instrument.Counter.builder("countersign.approvals.notices")
                            .description("Approvers told of a request (requested) or reminded of it (reminder), by rule")
                            .tag("kind", kind).tag("rule", rule).register(meters).increment());
                });
    }

    private boolean claim(String requestId, String kind) {
        // Conditional insert, portable to H2 and PostgreSQL: no exception, so the caller's transaction stays usable.
        return jdbc.sql("""
                        insert into approval_notice (request_id, kind, noticed_at)
                        select ?, ?, ? where not exists (select 1 from approval_notice where request_id = ? and kind = ?)""")
                .params(requestId, kind, Timestamp.from(clock.instant()), requestId, kind)
                .update() == 1;
    }

    /** Notices go with their request when it is purged (countersign.actions.decided-retention). */
    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from approval_notice where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
