package dev.countersign.gateway.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.event.ContextClosedEvent;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The {@code tools/call}s in progress on this instance, each with what stops its wait for a decision:
 * the client's {@code notifications/cancelled} for it, its connection closing, or the instance
 * stopping. A stopped wait leaves the approval request pending for the humans; whatever they decide
 * is carried out without the call ({@link GatewayPickup}). Keyed by agent, session and JSON-RPC id,
 * so a client can cancel only its own calls.
 */
@Component
class WaitingCalls {

    enum Stop {
        CANCELLED("the client cancelled the call"),
        DISCONNECTED("the client's connection closed"),
        SHUTDOWN("this Countersign instance is stopping");

        final String why;

        Stop(String why) {
            this.why = why;
        }
    }

    record Key(String agentId, String sessionId, String requestId) {
    }

    private static final java.time.Duration ANSWERED_WITHIN = java.time.Duration.ofSeconds(3);
    /** A cancellation no call has read in this long names a call that ended long ago. */
    private static final java.time.Duration KEPT = java.time.Duration.ofHours(1);

    private final ConcurrentHashMap<Key, CompletableFuture<Stop>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closing;

    private final JdbcClient jdbc;
    private final Clock clock;

    WaitingCalls(MeterRegistry meters, JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("countersign.gateway.waiting", waiting, AtomicInteger::get)
                .description("tools/calls waiting for a person's decision on this instance").register(meters);
    }

    /** A call begins; what it returns completes when the call's wait is to stop. */
    CompletableFuture<Stop> begin(Key key) {
        var stop = new CompletableFuture<Stop>();
        if (closing) {
            stop.complete(Stop.SHUTDOWN);
        }
        calls.put(key, stop);
        return stop;
    }

    void end(Key key, CompletableFuture<Stop> stop) {
        calls.remove(key, stop);
    }

    /**
     * The client says it gave up on this call. When the call is not in progress here (it may wait on another instance),
     * the cancellation is kept for the instance where it waits, which reads it within a second.
     */
    void cancel(Key key) {
        var stop = calls.get(key);
        if (stop != null) {
            stop.complete(Stop.CANCELLED);
            return;
        }
        try {
            jdbc.sql("insert into gateway_cancel (agent_id, session_id, request_key, at) values (?, ?, ?, ?)")
                    .params(key.agentId(), key.sessionId(), key.requestId(), Timestamp.from(clock.instant())).update();
        } catch (DuplicateKeyException alreadyKept) {
            // Said twice.
        }
    }

    /** Cancellations that reached other instances, for the calls waiting here. */
    @Scheduled(fixedDelay = 1000)
    void cancelledElsewhere() {
        if (!calls.isEmpty()) {
            jdbc.sql("select agent_id, session_id, request_key from gateway_cancel").query((rs, n) ->
                    new Key(rs.getString(1), rs.getString(2), rs.getString(3))).list().forEach(key -> {
                        var stop = calls.get(key);
                        if (stop != null) {
                            stop.complete(Stop.CANCELLED);
                        }
                    });
        }
    }

    @Scheduled(fixedDelay = 60_000)
    void forgetOldCancellations() {
        jdbc.sql("delete from gateway_cancel where at < ?").param(Timestamp.from(clock.instant().minus(KEPT))).update();
    }

    /** Counts a call as waiting for a decision while {@code waitingFor} runs. */
    <T> T whileWaiting(java.util.function.Supplier<T> waitingFor) {
        waiting.incrementAndGet();
        try {
            return waitingFor.get();
        } finally {
            waiting.decrementAndGet();
        }
    }

    int waiting() {
        return waiting.get();
    }

    /**
     * Before the web server's graceful shutdown: no call keeps it waiting for a person. Each stopped call answers its
     * client (that the request stays pending, and to call again); this waits a moment for those answers to be written,
     * before {@link McpEndpoint} closes the sessions and their streams.
     */
    @EventListener(ContextClosedEvent.class)
    @Order(0)
    void closing() {
        closing = true;
        calls.values().forEach(stop -> stop.complete(Stop.SHUTDOWN));
        long until = System.nanoTime() + ANSWERED_WITHIN.toNanos();
        while (!calls.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
