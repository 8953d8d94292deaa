package dev.countersign.gateway.internal;

import dev.countersign.actions.ActionRequestsPurged;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which approval requests a {@code tools/call} opened or joined while pending ({@code gateway_call}):
 * the ones whose approval the gateway must carry out even when no call is left to do it.
 */
@Component
class GatewayCallLog {

    record Asked(String requestId, String agentId) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    GatewayCallLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A call asked for approval of this request (opened it, or joined it pending). Once per request. */
    void asked(String requestId, String agentId) {
        try {
            jdbc.sql("insert into gateway_call (request_id, agent_id, asked_at, settled) values (?, ?, ?, false)")
                    .params(requestId, agentId, Timestamp.from(clock.instant())).update();
        } catch (DuplicateKeyException alreadyKnown) {
            // Another call asked first: one row per request.
        }
    }

    boolean isGatewayCall(String requestId) {
        return jdbc.sql("select count(*) from gateway_call where request_id = ?").param(requestId).query(Long.class).single() > 0;
    }

    /** Nothing more to do for it: it ran, was not approved, or its grant lapsed. */
    void settled(String requestId) {
        jdbc.sql("update gateway_call set settled = true where request_id = ? and settled = false").param(requestId).update();
    }

    /** Requests still to be carried out or decided, asked since {@code since}, oldest first; older ones are settled as lapsed. */
    List<Asked> unsettled(Instant since, int limit) {
        jdbc.sql("update gateway_call set settled = true where settled = false and asked_at < ?").param(Timestamp.from(since)).update();
        return jdbc.sql("select request_id, agent_id from gateway_call where settled = false order by asked_at limit " + limit)
                .query((rs, n) -> new Asked(rs.getString(1), rs.getString(2))).list();
    }

    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from gateway_call where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
