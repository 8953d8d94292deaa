package dev.countersign.actions.internal;

import dev.countersign.policy.ActionFacts;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an agent has had approved, for policies that budget it. Read inside the asking
 * transaction after {@link #serialise} has locked the agent's row, so the next ask of the same
 * agent waits for this one to commit and then counts it: a budget cannot be spent twice by asks
 * that race. Asks of different agents never wait for each other.
 */
@Component
class AgentHistory {

    private final JdbcClient jdbc;
    private final java.time.Duration askedWindow;

    AgentHistory(JdbcClient jdbc, dev.countersign.policy.PolicyProperties policy) {
        this.jdbc = jdbc;
        this.askedWindow = policy.askedWindow();
    }

    /** Holds the agent's ask lock until the transaction ends (the row is created on the agent's first ask). */
    @Transactional(propagation = Propagation.MANDATORY)
    void serialise(String agentId) {
        // A race on the first insert fails one transaction on the primary key; the intake retries it whole.
        jdbc.sql("insert into agent_ask_lock (agent_id) select ? where not exists (select 1 from agent_ask_lock where agent_id = ?)")
                .params(agentId, agentId).update();
        jdbc.sql("select agent_id from agent_ask_lock where agent_id = ? for update").param(agentId).query(String.class).single();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    ActionFacts.History read(String agentId, String sessionId, Instant now) {
        Instant midnight = now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, BigDecimal> today = new HashMap<>();
        long[] todayCount = {0};
        jdbc.sql("""
                        select amount_currency, sum(cast(amount_value as decimal(38, 18))) as approved, count(*) as n from action_request
                         where agent_id = ? and decided_at >= ? and status = 'APPROVED'
                         group by amount_currency""")
                .params(agentId, Timestamp.from(midnight))
                .query(rs -> {
                    todayCount[0] += rs.getLong("n");
                    if (rs.getString("amount_currency") != null) {
                        today.put(rs.getString("amount_currency"), rs.getBigDecimal("approved"));
                    }
                });
        Map<String, Long> asked = new HashMap<>();
        jdbc.sql("select tool, count(*) as n from action_request where agent_id = ? and created_at >= ? group by tool")
                .params(agentId, Timestamp.from(now.minus(askedWindow)))
                .query(rs -> {
                    asked.put(rs.getString("tool"), rs.getLong("n"));
                });
        long pending = jdbc.sql("select count(*) from action_request where agent_id = ? and status = 'PENDING'")
                .param(agentId).query(Long.class).single();
        if (sessionId == null) {
            return new ActionFacts.History(today, todayCount[0], 0, Map.of(), asked, pending);
        }
        Map<String, BigDecimal> session = new HashMap<>();
        long[] sessionCount = {0};
        jdbc.sql("""
                        select amount_currency, status, sum(cast(amount_value as decimal(38, 18))) as amount, count(*) as n from action_request
                         where agent_id = ? and session_id = ?
                         group by amount_currency, status""")
                .params(agentId, sessionId)
                .query(rs -> {
                    sessionCount[0] += rs.getLong("n");
                    if ("APPROVED".equals(rs.getString("status")) && rs.getString("amount_currency") != null) {
                        session.merge(rs.getString("amount_currency"), rs.getBigDecimal("amount"), BigDecimal::add);
                    }
                });
        return new ActionFacts.History(today, todayCount[0], sessionCount[0], session, asked, pending);
    }
}
