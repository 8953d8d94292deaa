package dev.countersign.common;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from the database for a gauge: read again at most every {@code freshness} (scrapes may come often, and
 * from several scrapers), or at the next look after {@link #stale()}. A failed read keeps the last value: while the
 * database is away that is expected (the outage has metrics of its own, so it is logged at debug); anything else is a
 * bug and logged as one. Freshness is the machine's ({@code System.nanoTime()}), whatever clock the application keeps.
 */
public final class CachedReading<T> {

    private static final Logger log = LoggerFactory.getLogger(CachedReading.class);

    private final String what;
    private final long freshnessNanos;
    private final Supplier<T> read;
    private volatile T last;
    private volatile long readAt;
    private volatile boolean stale = true;

    /** {@code what}: how the log names it ("Pending requests"); {@code initial}: the value until a read succeeds. */
    public CachedReading(String what, Duration freshness, Supplier<T> read, T initial) {
        this.what = what;
        this.freshnessNanos = freshness.toNanos();
        this.read = read;
        this.last = initial;
    }

    public T get() {
        long now = System.nanoTime();
        if (stale || now - readAt >= freshnessNanos) {
            try {
                last = read.get();
                readAt = now;
                stale = false;
            } catch (RuntimeException failed) {
                if (DatabaseUnavailable.is(failed)) {
                    log.debug("{} not read: {}", what, failed.getMessage());
                } else {
                    log.warn("{} not read", what, failed);
                }
            }
        }
        return last;
    }

    /** What it reads has changed: the next look reads again, however fresh the last reading. */
    public void stale() {
        stale = true;
    }
}
