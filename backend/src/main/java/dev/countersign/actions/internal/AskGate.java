package dev.countersign.actions.internal;

import dev.countersign.audit.AuditLog;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The door of an ask, before anything is derived or stored: a switched-off agent, or a tool
 * outside the agent's list, is refused with a {@code 403} that says what an admin can change.
 * Every refusal of an ask, here or later, is audited on its own (a refused call rolls back
 * everything else), so that a probing agent shows in the audit log.
 */
@Component
class AskGate {

    private final AuditLog audit;
    private final TransactionTemplate tx;

    AskGate(AuditLog audit, TransactionTemplate tx) {
        this.audit = audit;
        this.tx = tx;
    }

    void admit(Caller.Agent agent, ActionSubmission submission) {
        String why = !agent.enabled() ? "agent '" + agent.id() + "' is disabled"
                : !agent.mayUse(submission.tool()) ? "agent '" + agent.id() + "' may not use tool '" + submission.tool() + "'"
                : null;
        if (why != null) {
            refused(agent, submission, Map.of("reason", why));
            throw ApiProblem.forbidden(why.substring(0, 1).toUpperCase() + why.substring(1)
                    + (agent.enabled() ? "; an admin can change the agent's allowed tools" : "; an admin can enable it again (console, Agents)"));
        }
    }

    /** Records a refused ask, in a transaction of its own. */
    void refused(Caller.Agent agent, ActionSubmission submission, Map<String, Object> why) {
        Map<String, Object> data = new HashMap<>(why);
        data.put("tool", submission.tool());
        data.put("actionHash", submission.actionHash());
        tx.executeWithoutResult(status -> audit.record("action.refused", agent.id(), null, data));
    }
}
