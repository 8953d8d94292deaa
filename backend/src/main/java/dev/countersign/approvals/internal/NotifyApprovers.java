package dev.countersign.approvals.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.approvals.ApprovalRequested;
import dev.countersign.audit.AuditLog;
import dev.countersign.workflow.JobHandler;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Job {@code countersign.notify}: tells the notification channels (console, log, Slack) that approvers are needed. */
@Component
class NotifyApprovers implements JobHandler {

    private final ActionRequests actions;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final ApprovalNotices notices;

    NotifyApprovers(ActionRequests actions, ApplicationEventPublisher events, AuditLog audit, ApprovalNotices notices) {
        this.notices = notices;
        this.actions = actions;
        this.events = events;
        this.audit = audit;
    }

    @Override
    public String topic() {
        return "countersign.notify";
    }

    @Override
    @Transactional
    public void handle(Job job) {
        actions.find(job.requestId())
                .filter(request -> request.status() == ActionStatus.PENDING)
                .filter(request -> notices.claim(request.id(), "requested"))
                .ifPresent(request -> {
                    events.publishEvent(new ApprovalRequested(request));
                    audit.record("approvers.notified", "countersign", request.id(), Map.of("approvers", request.approval().approvers()));
                });
    }
}
