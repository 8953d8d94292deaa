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

    /** Every switch ever set, by agent id. */
    public java.util.Map<String, Boolean> all() {
        var switched = new java.util.HashMap<String, Boolean>();
        jdbc.sql("select agent_id, enabled from agent_switch").query(rs -> {
            switched.put(rs.getString("agent_id"), rs.getBoolean("enabled"));
        });
        return switched;
    }

    /**
     * Sets the switch; the caller audits it in the same transaction. Switching off publishes
     * {@link AgentSwitchedOff} in it, so the agent's pending requests and grants end in the same commit.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public void set(String agentId, boolean enabled, String admin) {
        var now = Timestamp.from(clock.instant());
        int updated = jdbc.sql("update agent_switch set enabled = ?, changed_by = ?, changed_at = ? where agent_id = ?")
                .params(enabled, admin, now, agentId).update();
        if (updated == 0) {
            jdbc.sql("insert into agent_switch (agent_id, enabled, changed_by, changed_at) values (?, ?, ?, ?)")
                    .params(agentId, enabled, admin, now).update();
        }
        if (!enabled) {
            events.publishEvent(new AgentSwitchedOff(agentId, admin));
        }
    }
}
