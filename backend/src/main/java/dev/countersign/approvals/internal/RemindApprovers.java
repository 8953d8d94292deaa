package dev.countersign.approvals.internal;

import dev.countersign.approvals.ApprovalReminderDue;
import dev.countersign.workflow.JobHandler;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Job {@code countersign.remind}: the rule's reminder time passed and nobody has decided yet. */
@Component
class RemindApprovers implements JobHandler {

    private final ApprovalNotices notices;

    RemindApprovers(ApprovalNotices notices) {
        this.notices = notices;
    }

    @Override
    public String topic() {
        return "countersign.remind";
    }

    @Override
    @Transactional
    public void handle(Job job) {
        notices.publishOnce(job.requestId(), "reminder", ApprovalReminderDue::new, "approvers.reminded",
                request -> Map.of("approvals", request.approvals()));
    }
}
