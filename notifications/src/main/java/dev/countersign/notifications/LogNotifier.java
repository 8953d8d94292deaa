package dev.countersign.notifications;

import dev.countersign.common.AfterCommit;
import dev.countersign.actions.ActionDecided;
import dev.countersign.approvals.ApprovalReminderDue;
import dev.countersign.approvals.ApprovalRequested;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One concise line per event, for operators and for the demo's terminal. */
@Component
class LogNotifier {

    private static final Logger log = LoggerFactory.getLogger("countersign.notifications");

    @EventListener
    void approvalRequested(ApprovalRequested event) {
        var r = event.request();
        log.info("Approval needed: {} {} by {} (rule {}, {} of {}, expires {})", r.id(), r.tool(), r.agent(),
                r.decision().rule(), r.approval().quorum(), String.join(",", r.approval().approvers()), r.approval().expiresAt());
    }

    @EventListener
    void reminder(ApprovalReminderDue event) {
        var r = event.request();
        log.info("Reminder: {} {} still awaits {} approval(s) from {}", r.id(), r.tool(), r.approval().quorum() - r.approvals(),
                String.join(",", r.approval().approvers()));
    }

    /** After commit: an ending that rolled back (the ask that found it stale failed) was never one. */
    @EventListener
    void standingEnded(dev.countersign.actions.StandingApprovalEnded event) {
        AfterCommit.react(() -> log.info("Standing approval {} for {} {}: {} (given by {})", event.id(), event.agent(), event.status(), event.reason(),
                String.join(",", event.approvedBy())));
    }

    @EventListener
    void decided(ActionDecided event) {
        AfterCommit.react(() -> log.info("Decided: {} {} by {} ({})", event.requestId(), event.status(), event.by(), event.actor()));
    }
}
