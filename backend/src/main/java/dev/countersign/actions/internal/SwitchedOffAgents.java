package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.Verdict;
import dev.countersign.identity.AgentSwitched;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * An agent switched off takes its pending requests with it: each is cancelled through the one
 * decide, in the switching transaction, so approvers' messages are updated like for any decision
 * and no vote can approve it afterwards.
 */
@Component
class SwitchedOffAgents {

    private final ActionRequestRepository store;
    private final ActionRequests requests;
    private final StandingApprovalService standing;

    SwitchedOffAgents(ActionRequestRepository store, ActionRequests requests, StandingApprovalService standing) {
        this.store = store;
        this.requests = requests;
        this.standing = standing;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void onSwitched(AgentSwitched off) {
        if (off.enabled()) {
            return;
        }
        store.pendingOf(off.agentId()).forEach(id -> requests.decide(id, Verdict.agentSwitchedOff(off.agentId(), off.admin())));
        // What people approved in advance for it ends too; switching it on again brings none of it back.
        standing.voidAllOf(off.agentId(), off.admin());
    }
}
