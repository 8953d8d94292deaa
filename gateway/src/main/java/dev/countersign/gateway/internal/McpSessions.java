package dev.countersign.gateway.internal;

import dev.countersign.gateway.GatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Whose each MCP session is. A session belongs to the agent whose token opened it; to any other
 * caller it does not exist ({@code 404}, the same answer as for an id nobody opened), so one agent
 * can neither call methods in another's session nor end it.
 *
 * <p>Sessions are forgotten when ended ({@code DELETE}, or the SDK no longer knows them) and when
 * idle: no request and no open stream for twice {@code countersign.gateway.session-idle-timeout}.
 * The SDK evicts its own idle sessions after between one and two of those, so by then it has let
 * go too. Held in this instance's memory, as the SDK's sessions are.
 */
@Component
class McpSessions implements DisposableBean {

    private record Session(String owner, AtomicInteger open, AtomicReference<Instant> lastSeen) {
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration forgetAfter;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("countersign-mcp-sessions").daemon().factory());

    McpSessions(GatewayProperties properties, Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.forgetAfter = properties.sessionIdleTimeout().multipliedBy(2);
        long every = properties.sessionIdleTimeout().toMillis();
        sweeper.scheduleWithFixedDelay(this::forgetIdle, every, every, TimeUnit.MILLISECONDS);
        Gauge.builder("countersign.gateway.sessions", sessions, ConcurrentHashMap::size)
                .description("MCP sessions open on this instance").register(meters);
    }

    /** A session the SDK just opened for this agent. */
    void opened(String sessionId, String agentId) {
        sessions.putIfAbsent(sessionId, new Session(agentId, new AtomicInteger(), new AtomicReference<>(clock.instant())));
    }

    /**
     * A request in this session begins: true when the session is the agent's (it then counts as open until
     * {@link #released}); false when it is unknown or another's.
     */
    boolean enter(String sessionId, String agentId) {
        Session session = sessions.get(sessionId);
        if (session == null || !session.owner().equals(agentId)) {
            return false;
        }
        session.open().incrementAndGet();
        session.lastSeen().set(clock.instant());
        return true;
    }

    /** A request that {@link #enter entered} the session has ended (its stream too, for a streamed answer). */
    void released(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session != null) {
            session.open().decrementAndGet();
            session.lastSeen().set(clock.instant());
        }
    }

    void ended(String sessionId) {
        sessions.remove(sessionId);
    }

    int count() {
        return sessions.size();
    }

    private void forgetIdle() {
        Instant before = clock.instant().minus(forgetAfter);
        sessions.values().removeIf(session -> session.open().get() <= 0 && session.lastSeen().get().isBefore(before));
    }

    @Override
    public void destroy() {
        sweeper.shutdownNow();
    }
}
