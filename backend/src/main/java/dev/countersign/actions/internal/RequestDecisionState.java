package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.workflow.DecisionState;
import org.springframework.stereotype.Component;

@Component
class RequestDecisionState implements DecisionState {

    private final ActionRequestRepository requests;

    RequestDecisionState(ActionRequestRepository requests) {
        this.requests = requests;
    }

    @Override
    public boolean isPending(String requestId) {
        return requests.findById(requestId).map(r -> r.status() == ActionStatus.PENDING).orElse(false);
    }
}
