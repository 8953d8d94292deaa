package dev.countersign.gateway.internal;

import dev.countersign.gateway.GatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whose each MCP session is, on every instance. A session belongs to the agent whose token opened
 * it; to any other caller it does not exist ({@code 404}, the same answer as for an id nobody
 * opened), so one agent can neither call methods in another's session nor end it.
 *
 * <p>Sessions are shared through the database ({@code gateway_session}): a request may reach any
 * instance. The MCP SDK keeps its sessions in each instance's memory, so an instance that meets a
 * session it has not seen opens one of its own in the SDK with the client's stored {@code initialize}
 * ({@link SessionAdoption}), and maps the client's id to it. Sessions are forgotten when ended
 * ({@code DELETE}, or the SDK no longer knows them) and when idle: here, with no request and no open
 * stream for twice {@code session-idle-timeout}; in the database, unused on every instance for as long.
 */
@Component
class McpSessions implements DisposableBean {

    /** One session as this instance serves it: {@code sdkId} is the SDK's id for it here (the client's, where it was opened). */
    private record Local(String owner, String sdkId, byte[] initialize, AtomicInteger open, AtomicReference<Instant> lastSeen,
                         AtomicReference<Instant> lastStored) {
    }

    /** A session opened on some instance: who opened it and the {@code initialize} message it opened with. */
    record Stored(String owner, byte[] initialize) {
    }

    /** How often an instance that serves a session tells the database it is in use. */
    private static final Duration STORE_SEEN_EVERY = Duration.ofMinutes(1);

    private final ConcurrentHashMap<String, Local> sessions = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration forgetAfter;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("countersign-mcp-sessions").daemon().factory());

    McpSessions(GatewayProperties properties, JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.forgetAfter = properties.sessionIdleTimeout().multipliedBy(2);
        long every = properties.sessionIdleTimeout().toMillis();
        sweeper.scheduleWithFixedDelay(this::forgetIdle, every, every, TimeUnit.MILLISECONDS);
        Gauge.builder("countersign.gateway.sessions", sessions, ConcurrentHashMap::size)
                .description("MCP sessions served by this instance").register(meters);
    }

    /** A session the SDK just opened here for this agent, with the {@code initialize} message that opened it. */
    void opened(String sessionId, String agentId, byte[] initialize) {
        Instant now = clock.instant();
        jdbc.sql("insert into gateway_session (id, agent_id, initialize, created_at, last_seen) values (?, ?, ?, ?, ?)")
                .params(sessionId, agentId, new String(initialize, StandardCharsets.UTF_8), Timestamp.from(now), Timestamp.from(now)).update();
        sessions.putIfAbsent(sessionId, new Local(agentId, sessionId, initialize, new AtomicInteger(), new AtomicReference<>(now),
                new AtomicReference<>(now)));
    }

    /**
     * A request in this session begins here: the SDK's id for it when this instance serves it for this agent (it then
     * counts as open until {@link #released}); empty when this instance has not served it (see {@link #stored}) or it
     * is another agent's.
     */
    Optional<String> enter(String sessionId, String agentId) {
        Local session = sessions.get(sessionId);
        if (session == null || !session.owner().equals(agentId)) {
            return Optional.empty();
        }
        session.open().incrementAndGet();
        Instant now = clock.instant();
        session.lastSeen().set(now);
        Instant stored = session.lastStored().get();
        if (Duration.between(stored, now).compareTo(STORE_SEEN_EVERY) > 0 && session.lastStored().compareAndSet(stored, now)) {
            try {
                jdbc.sql("update gateway_session set last_seen = ? where id = ?").params(Timestamp.from(now), sessionId).update();
            } catch (DataAccessException later) {
                // The next request tells it again.
            }
        }
        return Optional.of(session.sdkId());
    }

    /** The session as opened on another instance, if it is this agent's and not ended. */
    Optional<Stored> stored(String sessionId, String agentId) {
        return jdbc.sql("select agent_id, initialize from gateway_session where id = ?").param(sessionId)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2).getBytes(StandardCharsets.UTF_8))).optional()
                .filter(stored -> stored.owner().equals(agentId));
    }

    /** This instance now serves the session under the SDK's id {@code sdkId}; the request that needed it is entered. */
    String adopted(String sessionId, String agentId, String sdkId, byte[] initialize) {
        Instant now = clock.instant();
        sessions.putIfAbsent(sessionId, new Local(agentId, sdkId, initialize, new AtomicInteger(), new AtomicReference<>(now),
                new AtomicReference<>(now)));
        return enter(sessionId, agentId).orElseThrow();
    }

    /** What the client called itself in the {@code initialize} that opened the session, as this instance serves it. */
    Optional<McpSchema.Implementation> client(String sessionId, tools.jackson.databind.json.JsonMapper json) {
        Local session = sessions.get(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        try {
            var info = json.readTree(session.initialize()).path("params").path("clientInfo");
            return info.path("name").isString() ? Optional.of(new McpSchema.Implementation(info.path("name").asString(),
                    info.path("version").asString(null))) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** A request that {@link #enter entered} the session has ended (its stream too, for a streamed answer). */
    void released(String sessionId) {
        Local session = sessions.get(sessionId);
        if (session != null) {
            session.open().decrementAndGet();
            session.lastSeen().set(clock.instant());
        }
    }

    /** Ended by its client ({@code DELETE}) or unknown to the SDK: gone on every instance. */
    void ended(String sessionId) {
        sessions.remove(sessionId);
        jdbc.sql("delete from gateway_session where id = ?").param(sessionId).update();
    }

    int count() {
        return sessions.size();
    }

    private void forgetIdle() {
        Instant before = clock.instant().minus(forgetAfter);
        sessions.values().removeIf(session -> session.open().get() <= 0 && session.lastSeen().get().isBefore(before));
        try {
            jdbc.sql("delete from gateway_session where last_seen < ?").param(Timestamp.from(before.minus(STORE_SEEN_EVERY))).update();
        } catch (DataAccessException later) {
            // The next sweep.
        }
    }

    @Override
    public void destroy() {
        sweeper.shutdownNow();
    }
}
