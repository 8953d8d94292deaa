package dev.countersign.gateway.internal;

import dev.countersign.actions.ActionRequestsPurged;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The MCP tasks agents opened ({@code gateway_task}): each is one agent's, and stands for one approval request. */
@Component
class GatewayTasks {

    /** How long a task is kept when the client asks for no time or more than this. */
    static final Duration MAX_TTL = Duration.ofHours(24);
    static final Duration DEFAULT_TTL = Duration.ofHours(1);

    /** {@code requestId} is null for a call refused before anything was asked; {@code refused} is then its answer (JSON). */
    record Task(String id, String agentId, String requestId, String refused, Instant createdAt, Instant expiresAt, boolean cancelled) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SELECT = "select id, agent_id, request_id, refused, created_at, expires_at, cancelled from gateway_task ";
    private static final RowMapper<Task> TASK = (rs, n) -> new Task(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getBoolean(7));

    private final JdbcClient jdbc;
    private final Clock clock;

    GatewayTasks(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Task open(String agentId, String requestId, String refused, Duration ttl) {
        Instant now = clock.instant();
        // Unguessable: a task id is not a capability (every look-up is the agent's own), but it need not be countable either.
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        var task = new Task("task_" + HexFormat.of().formatHex(bytes), agentId, requestId, refused, now, now.plus(ttl), false);
        jdbc.sql("insert into gateway_task (id, agent_id, request_id, refused, created_at, expires_at, cancelled) values (?, ?, ?, ?, ?, ?, false)")
                .params(task.id(), agentId, requestId, refused, Timestamp.from(now), Timestamp.from(task.expiresAt())).update();
        return task;
    }

    /** The agent's own task, while it is kept; another agent's task is not found, exactly as one that never was. */
    Optional<Task> of(String agentId, String taskId) {
        return jdbc.sql(SELECT + "where id = ? and agent_id = ? and expires_at > ?").params(taskId, agentId, Timestamp.from(clock.instant()))
                .query(TASK).optional();
    }

    /** The agent's kept tasks, newest first, from {@code offset}. */
    List<Task> of(String agentId, int offset, int limit) {
        return jdbc.sql(SELECT + "where agent_id = ? and expires_at > ? order by created_at desc, id limit " + limit + " offset " + offset)
                .params(agentId, Timestamp.from(clock.instant()))
                .query(TASK).list();
    }

    void cancelled(String taskId) {
        jdbc.sql("update gateway_task set cancelled = true where id = ?").param(taskId).update();
    }

    /** Tasks past their lifetime are gone for their agent already; their rows follow (those refused before asking have no request to be purged with). */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
    void forgetExpired() {
        jdbc.sql("delete from gateway_task where expires_at < ?").param(Timestamp.from(clock.instant().minus(Duration.ofDays(1)))).update();
    }

    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from gateway_task where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}
