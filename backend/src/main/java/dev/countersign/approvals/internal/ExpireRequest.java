package dev.countersign.approvals.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.Verdict;
import dev.countersign.workflow.JobHandler;
import org.springframework.stereotype.Component;

/**
 * Job {@code countersign.expire}: the process's expiry timer fired. Deciding is conditional on
 * PENDING, so a request decided a moment before stays as it was, and a redelivered job does nothing.
 */
@Component
class ExpireRequest implements JobHandler {

    private final ActionRequests actions;

    ExpireRequest(ActionRequests actions) {
        this.actions = actions;
    }

    @Override
    public String topic() {
        return "countersign.expire";
    }

    @Override
    public void handle(Job job) {
        actions.decide(job.requestId(), Verdict.expired());
    }
}
