package dev.countersign.database.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.countersign.common.DatabaseUnavailable;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * While the database is known to be away, leaves out warnings and errors that only say so again:
 * those carrying a "cannot reach the database" failure (the engine's job acquisition, scheduled
 * tasks, every refused call) and the pool's own. One outage used to write ~1,150 stack-trace lines
 * in 90 s; now the probe writes one line when it goes and one when it is back, with the count of
 * what was left out.
 */
final class OutageLogs extends TurboFilter {

    private final DatabaseStatus status;
    private final boolean enabled;
    private final AtomicLong leftOut = new AtomicLong();

    OutageLogs(DatabaseStatus status, boolean enabled) {
        this.status = status;
        this.enabled = enabled;
    }

    /** Installs itself in Logback, when Logback is the logging system. */
    void install() {
        if (enabled && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.addTurboFilter(this);
            start();
        }
    }

    void uninstall() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(this);
        }
    }

    /** How many lines were left out during the outage that just ended; counting starts again from zero. */
    long outageOver() {
        return leftOut.getAndSet(0);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable failure) {
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || logger.getName().startsWith(DatabaseProbe.class.getPackageName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable carried = failure != null ? failure
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
        boolean aboutIt = (carried != null && DatabaseUnavailable.is(carried)) || isConnectionChatter(logger.getName());
        if (!aboutIt) {
            return FilterReply.NEUTRAL;
        }
        if (!status.away()) {
            // The first sign of an outage, usually sooner than the probe's next look: let it look now.
            status.suspect();
            return FilterReply.NEUTRAL;
        }
        leftOut.incrementAndGet();
        return FilterReply.DENY;
    }

    /** Loggers that, while the database is away, only ever say that again (the pool; Hibernate's SQL-state lines). */
    private static boolean isConnectionChatter(String logger) {
        return logger.startsWith("com.zaxxer.hikari") || logger.equals("org.hibernate.orm.jdbc.error")
                || logger.equals("org.hibernate.engine.jdbc.spi.SqlExceptionHelper");
    }
}
