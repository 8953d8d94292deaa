package dev.countersign.grants.internal;

import dev.countersign.audit.AuditLog;
import dev.countersign.identity.AgentSwitched;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A switched-off agent's grants stop redeeming at once: every grant of it not yet redeemed is
 * revoked, in the switching transaction, each revocation audited. (Redemption also checks the
 * switch, for a grant issued by a vote that raced the switch.)
 */
@Component
class GrantRevocation {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    GrantRevocation(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    private record Revoked(String jti, String requestId) {
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void onSwitched(AgentSwitched off) {
        if (off.enabled()) {
            return;
        }
        // Its own grants, and those of requests asked down a delegation chain that names it.
        List<Revoked> open = jdbc.sql("select jti, request_id from grant_token where (agent_id = ? or "
                        + dev.countersign.common.IdList.naming("chain_agents") + ") and redeemed_at is null and revoked_at is null")
                .params(off.agentId(), dev.countersign.common.IdList.containing(off.agentId())).query((rs, n) -> new Revoked(rs.getString("jti"), rs.getString("request_id"))).list();
        var now = Timestamp.from(clock.instant());
        for (Revoked grant : open) {
            if (jdbc.sql("update grant_token set revoked_at = ? where jti = ? and redeemed_at is null and revoked_at is null")
                    .params(now, grant.jti()).update() == 1) {
                audit.record("grant.revoked", off.admin(), grant.requestId(), Map.of("jti", grant.jti(), "reason", "agent switched off"));
            }
        }
    }
}
