package dev.countersign.workflow;

import dev.countersign.common.DatabaseUnavailable;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * What an engine is told when a handler failed: how many retries the job keeps and when it comes
 * back. A failure elsewhere (Slack down, a bug) costs one retry, with a growing backoff, and ends
 * as an incident when none are left. The database being away costs none: it says nothing about
 * the job, and an outage longer than the backoffs must not turn every due notification and expiry
 * into an incident.
 */
public record JobRetry(int retries, Duration backoff, boolean databaseAway) {

    /** How long a job waits while the database is away, before it is offered again. */
    public static final Duration WHILE_DATABASE_AWAY = Duration.ofSeconds(5);

    /** Says so in the engine adapter's log: a failure at WARN, a wait for the database at DEBUG (the probe has said it once). */
    public void log(Logger log, String topic, String requestId, RuntimeException failure) {
        if (databaseAway) {
            log.debug("Job {} for {} waits for the database ({} retries kept)", topic, requestId, retries);
        } else {
            log.warn("Job {} for {} failed ({} retries left): {}", topic, requestId, retries, failure.toString());
        }
    }

    public static JobRetry after(RuntimeException failure, int retriesLeft) {
        if (DatabaseUnavailable.is(failure)) {
            return new JobRetry(Math.max(retriesLeft, 1), WHILE_DATABASE_AWAY, true);
        }
        int retries = Math.max(retriesLeft - 1, 0);
        return new JobRetry(retries, Duration.ofSeconds((long) Math.pow(2, Math.max(0, 5 - retries))), false);
    }
}
