package dev.countersign.edge.internal;

import dev.countersign.edge.AgentRateLimited;
import dev.countersign.identity.IdentityProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.TransactionException;

/**
 * Each agent's calls, counted over a window that slides by {@code per}: the estimate is the
 * current fixed window's count plus the previous window's, weighted by how much of it still lies
 * within {@code per} of now. Counted in memory, so a call is admitted or refused without a query
 * (a flood costs the database nothing); every {@code share-every} this instance adds what it
 * counted to {@code agent_call_count} and reads back what every instance counted.
 */
final class AgentCallCounts {

    private static final Logger log = LoggerFactory.getLogger(AgentCallCounts.class);

    private final ConcurrentHashMap<Window, Count> counts = new ConcurrentHashMap<>();
    private final IdentityProperties identity;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final long windowMillis;
    private volatile boolean sharingFailed;
    /** Rows of windows before this start are already deleted (by this instance or another). */
    private long purgedBefore = Long.MIN_VALUE;

    AgentCallCounts(IdentityProperties identity, JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
        this.identity = identity;
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.windowMillis = identity.rateLimit().per().toMillis();
    }

    /** Admitted calls are counted; a refused one is not (retrying sooner than told does not push the wait back). */
    Admission admit(String agentId) {
        int limit = identity.rateLimit().callsOf(agentId);
        long now = clock.millis();
        long start = windowStart(now);
        Count current = counts.computeIfAbsent(new Window(agentId, start), window -> new Count());
        Count previous = counts.get(new Window(agentId, start - windowMillis));
        long before = previous == null ? 0 : previous.total();
        double stillCounting = 1.0 - (double) (now - start) / windowMillis;
        // Counted first and taken back if over: two calls racing for the last slot never both get it.
        long mine = current.unshared.incrementAndGet();
        if (before * stillCounting + current.shared.get() + mine <= limit) {
            return new Admission(true, limit, Duration.ZERO, start);
        }
        current.unshared.decrementAndGet();
        current.refused.incrementAndGet();
        return new Admission(false, limit, retryAfter(limit, now, start, before, current.total()), start);
    }

    /**
     * An admitted call that was not served (the database was away: {@code 503}) no longer counts. Agents that honour
     * {@code Retry-After} through an outage would otherwise have spent their limit by the time it is back.
     */
    void notServed(String agentId, Admission admission) {
        Count count = counts.get(new Window(agentId, admission.windowStart()));
        if (count != null) {
            // Possibly already shared: then the next share adds -1 to the database's count, which takes it back there too.
            count.unshared.decrementAndGet();
        }
    }

    /** When the estimate will have fallen far enough for one more call, at least a second from now. */
    private Duration retryAfter(int limit, long now, long start, long before, long current) {
        long at;
        if (current < limit && before > 0) {
            double counting = (double) (limit - 1 - current) / before;
            at = start + (long) Math.ceil((1.0 - counting) * windowMillis);
        } else {
            // This window alone is full: wait into the next one until this window's weight lets one through.
            double counting = (double) (limit - 1) / Math.max(1, current);
            at = start + windowMillis + (long) Math.ceil(Math.max(0, 1.0 - counting) * windowMillis);
        }
        return Duration.ofMillis(Math.max(1000, at - now));
    }

    private long windowStart(long millis) {
        return millis - Math.floorMod(millis, windowMillis);
    }

    @Scheduled(fixedDelayString = "${countersign.identity.rate-limit.share-every:250ms}")
    void share() {
        long previousStart = windowStart(clock.millis()) - windowMillis;
        counts.keySet().removeIf(window -> window.start() < previousStart);
        try {
            counts.forEach(this::add);
            // Every agent's, not only those calling here: an agent's first call on this instance must know the others'.
            jdbc.sql("select agent_id, window_start, calls from agent_call_count where window_start >= ?").param(previousStart)
                    .query((rs, n) -> {
                        Count count = counts.computeIfAbsent(new Window(rs.getString("agent_id"), rs.getLong("window_start")),
                                window -> new Count());
                        count.shared.set(rs.getLong("calls"));
                        return count;
                    }).list();
            // Once per window, not at every share: only then does a window fall out of the previous one.
            if (purgedBefore < previousStart) {
                jdbc.sql("delete from agent_call_count where window_start < ?").param(previousStart).update();
                purgedBefore = previousStart;
            }
            if (sharingFailed) {
                log.info("Agents' call counts are shared through the database again");
                sharingFailed = false;
            }
        } catch (DataAccessException unavailable) {
            // The database is away: each instance goes on counting alone; what it counted is added when it is back.
            if (!sharingFailed) {
                log.warn("Cannot share agents' call counts through the database ({}); each instance limits on its own counts until it can",
                        unavailable.getMostSpecificCause().getMessage());
                sharingFailed = true;
            }
        }
        reportRefusals();
    }

    private void add(Window window, Count count) {
        long delta = count.unshared.get();
        if (delta == 0) {
            return;
        }
        // Moved to shared before it leaves unshared: the estimate may count it twice for a moment, never zero times.
        count.shared.addAndGet(delta);
        count.unshared.addAndGet(-delta);
        try {
            String update = "update agent_call_count set calls = calls + ? where agent_id = ? and window_start = ?";
            if (jdbc.sql(update).params(delta, window.agentId(), window.start()).update() == 0) {
                try {
                    jdbc.sql("insert into agent_call_count (agent_id, window_start, calls) values (?, ?, ?)")
                            .params(window.agentId(), window.start(), delta).update();
                } catch (DuplicateKeyException anotherInstanceFirst) {
                    jdbc.sql(update).params(delta, window.agentId(), window.start()).update();
                }
            }
        } catch (DataAccessException unavailable) {
            count.shared.addAndGet(-delta);
            count.unshared.addAndGet(delta);
            throw unavailable;
        }
    }

    private void reportRefusals() {
        counts.forEach((window, count) -> {
            long refused = count.refused.get();
            if (refused > 0 && count.reported.compareAndSet(false, true)) {
                int limit = identity.rateLimit().callsOf(window.agentId());
                log.info("Agent {} went over its limit of {} calls per {}: refused with 429", window.agentId(), limit,
                        identity.rateLimit().per());
                try {
                    events.publishEvent(new AgentRateLimited(window.agentId(), limit, identity.rateLimit().per(), window.start(), refused));
                } catch (DataAccessException | TransactionException unavailable) {
                    // Not recorded (the audit needs the database, and opening its transaction can fail too): next turn.
                    count.reported.set(false);
                }
            }
        });
    }

    /** @param windowStart the window the call was counted in (or refused in) */
    record Admission(boolean admitted, int limit, Duration retryAfter, long windowStart) {
    }

    private record Window(String agentId, long start) {
    }

    private static final class Count {
        /** Every instance's calls as last read, plus this instance's since added. */
        final AtomicLong shared = new AtomicLong();
        /** This instance's calls not yet added to the database. */
        final AtomicLong unshared = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicBoolean reported = new AtomicBoolean();

        long total() {
            return shared.get() + unshared.get();
        }
    }
}
