package dev.countersign.callbacks.internal;

import dev.countersign.actions.ActionDecided;
import dev.countersign.actions.ActionRequestsPurged;
import dev.countersign.identity.IdentityProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes, in the transaction that decides a request, one delivery per callback URL of its agent:
 * committed with the decision or not at all, so no decision goes untold and none is told that did
 * not happen. Only decisions an agent waited for (people decided, or the request expired or was
 * cancelled); what policy answers at once, the ask's own answer says.
 */
@Component
class CallbackOutbox {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, List<IdentityProperties.Callback>> callbacks;

    CallbackOutbox(JdbcClient jdbc, Clock clock, IdentityProperties identity) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.callbacks = identity.agents().stream().filter(agent -> !agent.callbacks().isEmpty())
                .collect(Collectors.toUnmodifiableMap(IdentityProperties.AgentEntry::id, IdentityProperties.AgentEntry::callbacks));
    }

    List<IdentityProperties.Callback> of(String agentId) {
        return callbacks.getOrDefault(agentId, List.of());
    }

    @EventListener
    void decided(ActionDecided decided) {
        if (!decided.awaitedApproval()) {
            return;
        }
        Instant now = clock.instant();
        for (IdentityProperties.Callback callback : of(decided.agent())) {
            jdbc.sql("insert into callback_delivery (id, request_id, agent_id, url, state, attempts, next_attempt_at, created_at) "
                            + "values (?, ?, ?, ?, 'PENDING', 0, ?, ?)")
                    .params("msg_" + UUID.randomUUID().toString().replace("-", ""), decided.requestId(), decided.agent(),
                            callback.url().toString(), Timestamp.from(now), Timestamp.from(now)).update();
        }
    }

    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from callback_delivery where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
