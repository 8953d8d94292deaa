package dev.countersign.audit.internal;

import dev.countersign.common.CachedReading;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far the audit chain lags behind what was committed: entries written but not chained yet, and the age of the oldest.
 * Normally both are zero within a second of any commit (the chainer runs right after it, and a sweep every second); an
 * age that grows means no instance is chaining (docs/operations.md, "Metrics"). Read at most every five seconds.
 */
@Component
class AuditChainLag {

    private record Reading(long unchained, Instant oldest) {
    }

    private final Clock clock;
    private final CachedReading<Reading> reading;

    AuditChainLag(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.reading = new CachedReading<>("Audit chain lag", Duration.ofSeconds(5), () -> jdbc
                .sql("select count(*) as waiting, min(at) as oldest from audit_entry where seq is null")
                .query((rs, n) -> {
                    Timestamp oldest = rs.getTimestamp("oldest");
                    return new Reading(rs.getLong("waiting"), oldest == null ? null : oldest.toInstant());
                }).single(), new Reading(0, null));
        Gauge.builder("countersign.audit.unchained", this, lag -> lag.reading.get().unchained())
                .description("Audit entries committed but not yet chained").register(meters);
        Gauge.builder("countersign.audit.lag", this, AuditChainLag::lagSeconds).baseUnit("seconds")
                .description("Age of the oldest audit entry not yet chained (0 when none waits)").register(meters);
    }

    private double lagSeconds() {
        Instant oldest = reading.get().oldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }
}
