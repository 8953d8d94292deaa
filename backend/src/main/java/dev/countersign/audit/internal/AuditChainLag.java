package dev.countersign.audit.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far the audit chain lags behind what was committed: entries written but not chained yet, and the age of the oldest.
 * Normally both are zero within a second of any commit (the chainer runs right after it, and a sweep every second); an
 * age that grows means no instance is chaining (docs/operations.md, "Metrics"). Read at most every five seconds.
 */
@Component
class AuditChainLag {

    private static final Logger log = LoggerFactory.getLogger(AuditChainLag.class);
    private static final Duration FRESHNESS = Duration.ofSeconds(5);

    /** {@code readAt}: System.nanoTime(), so the freshness is the machine's whatever clock the application keeps. */
    private record Reading(long unchained, Instant oldest, long readAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Reading last = new Reading(0, null, System.nanoTime() - FRESHNESS.toNanos());

    AuditChainLag(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("countersign.audit.unchained", this, lag -> lag.reading().unchained())
                .description("Audit entries committed but not yet chained").register(meters);
        Gauge.builder("countersign.audit.lag", this, AuditChainLag::lagSeconds).baseUnit("seconds")
                .description("Age of the oldest audit entry not yet chained (0 when none waits)").register(meters);
    }

    private double lagSeconds() {
        Reading reading = reading();
        return reading.oldest() == null ? 0 : Math.max(0, Duration.between(reading.oldest(), clock.instant()).toMillis() / 1000.0);
    }

    private Reading reading() {
        long now = System.nanoTime();
        Reading reading = last;
        if (now - reading.readAt() < FRESHNESS.toNanos()) {
            return reading;
        }
        try {
            reading = jdbc.sql("select count(*) as waiting, min(at) as oldest from audit_entry where seq is null")
                    .query((rs, n) -> {
                        Timestamp oldest = rs.getTimestamp("oldest");
                        return new Reading(rs.getLong("waiting"), oldest == null ? null : oldest.toInstant(), now);
                    }).single();
            last = reading;
        } catch (RuntimeException failed) {
            // The last reading stands while the database is away (the outage has metrics of its own); anything else is a bug.
            if (dev.countersign.common.DatabaseUnavailable.is(failed)) {
                log.debug("Audit chain lag not read: {}", failed.getMessage());
            } else {
                log.warn("Audit chain lag not read", failed);
            }
        }
        return last;
    }
}
