package dev.countersign.console;

import dev.countersign.audit.AuditLog;
import dev.countersign.identity.AgentSwitches;
import dev.countersign.identity.Caller;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** An admin switching an agent off or on: the switch and its audit entry commit together. */
@Component
class AgentAdministration {

    private final AgentSwitches switches;
    private final AuditLog audit;

    AgentAdministration(AgentSwitches switches, AuditLog audit) {
        this.switches = switches;
        this.audit = audit;
    }

    @Transactional
    public void set(Caller.Approver admin, String agentId, boolean enabled) {
        if (!admin.isAdmin()) {
            throw new IllegalStateException("only admins switch agents");
        }
        switches.set(agentId, enabled, admin.id());
        audit.record(enabled ? "agent.enabled" : "agent.disabled", admin.id(), null, Map.of("agent", agentId));
    }
}
