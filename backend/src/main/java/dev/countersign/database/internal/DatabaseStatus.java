package dev.countersign.database.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * What the probe last found. Unknown until its first look (start-up runs as if reachable: Flyway
 * and the engine must get their connections), then reachable or away since an instant.
 */
final class DatabaseStatus {

    private volatile Instant awaySince;
    private volatile String reason;
    private boolean suspected;

    boolean away() {
        return awaySince != null;
    }

    Instant awaySince() {
        return awaySince;
    }

    String reason() {
        return reason;
    }

    /** Something failed to reach the database: the probe looks now rather than at its next turn. */
    synchronized void suspect() {
        if (awaySince == null && !suspected) {
            suspected = true;
            notifyAll();
        }
    }

    /** The probe's pause between looks: its interval, or less when {@link #suspect()} is called. */
    synchronized void awaitNextLook(Duration interval) throws InterruptedException {
        long deadline = System.nanoTime() + interval.toNanos();
        for (long left = interval.toNanos(); !suspected && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        suspected = false;
    }

    /** True when this call made it away (the first failure of an outage). */
    synchronized boolean markAway(Instant now, String why) {
        reason = why;
        if (awaySince != null) {
            return false;
        }
        awaySince = now;
        return true;
    }

    /** How long it was away, when this call ended an outage. */
    synchronized Duration markReachable(Instant now) {
        if (awaySince == null) {
            return null;
        }
        Duration away = Duration.between(awaySince, now);
        awaySince = null;
        reason = null;
        return away;
    }
}
