package dev.countersign.audit.internal;

import dev.countersign.audit.AuditLog;
import dev.countersign.identity.AgentSwitched;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** An admin's switch of an agent, recorded in the switching transaction: no switch without its entry. */
@Component
class AgentSwitchAudit {

    private final AuditLog audit;

    AgentSwitchAudit(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void onSwitched(AgentSwitched switched) {
        audit.record(switched.enabled() ? "agent.enabled" : "agent.disabled", switched.admin(), null, Map.of("agent", switched.agentId()));
    }
}
