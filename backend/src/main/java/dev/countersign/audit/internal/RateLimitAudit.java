package dev.countersign.audit.internal;

import dev.countersign.audit.AuditLog;
import dev.countersign.edge.AgentRateLimited;
import java.time.Instant;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One entry per agent, window and instance when an agent is refused for going over its call limit. */
@Component
class RateLimitAudit {

    private final AuditLog audit;

    RateLimitAudit(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void onRateLimited(AgentRateLimited limited) {
        audit.record("agent.rate_limited", limited.agentId(), null, Map.of(
                "limit", limited.limit(),
                "per", limited.per().toString(),
                "windowStart", Instant.ofEpochMilli(limited.windowStart()).toString(),
                "refusedSoFar", limited.refused()));
    }
}
