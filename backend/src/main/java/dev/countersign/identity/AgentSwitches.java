package dev.countersign.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admins turn agents off (and on again) at runtime. Read from the database on every call an
 * agent makes, never cached, so a switch takes effect on the agent's next call on every instance.
 */
@Component
public class AgentSwitches {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    AgentSwitches(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    /** The admin's switch for this agent, if one was ever set. */
    public Optional<Boolean> of(String agentId) {
        return jdbc.sql("select enabled from agent_switch where agent_id = ?").param(agentId).query(Boolean.class).optional();
    }

    /** The admin's switches for these agents, in one query, by agent id (agents never switched are absent). */
    public java.util.Map<String, Boolean> of(java.util.Collection<String> agentIds) {
        var switched = new java.util.HashMap<String, Boolean>();
        if (!agentIds.isEmpty()) {
            jdbc.sql("select agent_id, enabled from agent_switch where agent_id in (:ids)").param("ids", agentIds)
                    .query(rs -> {
                        switched.put(rs.getString("agent_id"), rs.getBoolean("enabled"));
                    });
        }
        return switched;
    }

    /** Every switch ever set, by agent id. */
    public java.util.Map<String, Boolean> all() {
        var switched = new java.util.HashMap<String, Boolean>();
        jdbc.sql("select agent_id, enabled from agent_switch").query(rs -> {
            switched.put(rs.getString("agent_id"), rs.getBoolean("enabled"));
        });
        return switched;
    }

    /**
     * An admin sets the switch. {@link AgentSwitched} is published in the same transaction, so the agent's pending
     * requests and grants end, and the audit entry is written, in the same commit as the switch.
     */
    @Transactional
    public void set(Caller.Approver admin, String agentId, boolean enabled) {
        if (!admin.isAdmin()) {
            throw dev.countersign.common.ApiProblem.forbidden("Only admins switch agents on or off");
        }
        var now = Timestamp.from(clock.instant());
        int updated = jdbc.sql("update agent_switch set enabled = ?, changed_by = ?, changed_at = ? where agent_id = ?")
                .params(enabled, admin.id(), now, agentId).update();
        if (updated == 0) {
            jdbc.sql("insert into agent_switch (agent_id, enabled, changed_by, changed_at) values (?, ?, ?, ?)")
                    .params(agentId, enabled, admin.id(), now).update();
        }
        events.publishEvent(new AgentSwitched(agentId, enabled, admin.id()));
    }
}
