package dev.countersign.approvals.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.approvals.ApprovalReminderDue;
import dev.countersign.audit.AuditLog;
import dev.countersign.workflow.JobHandler;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Job {@code countersign.remind}: the rule's reminder time passed and nobody has decided yet. */
@Component
class RemindApprovers implements JobHandler {

    private final ActionRequests actions;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final ApprovalNotices notices;

    RemindApprovers(ActionRequests actions, ApplicationEventPublisher events, AuditLog audit, ApprovalNotices notices) {
        this.notices = notices;
        this.actions = actions;
        this.events = events;
        this.audit = audit;
    }

    @Override
    public String topic() {
        return "countersign.remind";
    }

    @Override
    @Transactional
    public void handle(Job job) {
        actions.find(job.requestId())
                .filter(request -> request.status() == ActionStatus.PENDING)
                .filter(request -> notices.claim(request.id(), "reminder"))
                .ifPresent(request -> {
                    events.publishEvent(new ApprovalReminderDue(request));
                    audit.record("approvers.reminded", "countersign", request.id(), Map.of("approvals", request.approvals()));
                });
    }
}
