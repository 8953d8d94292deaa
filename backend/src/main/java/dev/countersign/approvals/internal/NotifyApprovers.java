package dev.countersign.approvals.internal;

import dev.countersign.approvals.ApprovalRequested;
import dev.countersign.workflow.JobHandler;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Job {@code countersign.notify}: tells the notification channels (the log, Slack) that approvers
 * are needed. The console does not listen to this: it lists pending requests from the database
 * and refreshes on {@code ActionRequested}.
 */
@Component
class NotifyApprovers implements JobHandler {

    private final ApprovalNotices notices;

    NotifyApprovers(ApprovalNotices notices) {
        this.notices = notices;
    }

    @Override
    public String topic() {
        return "countersign.notify";
    }

    @Override
    @Transactional
    public void handle(Job job) {
        notices.publishOnce(job.requestId(), "requested", ApprovalRequested::new, "approvers.notified",
                request -> Map.of("approvers", request.approval().approvers()));
    }
}
