package dev.countersign.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.database.*}.
 *
 * @param probeEvery how often a connection of its own checks that PostgreSQL answers; an outage is
 *                   noticed within about this plus a second
 * @param connectionWait how long a call waits for a pooled connection while the database is up and
 *                       the pool busy, before it answers {@code 503}; while the database is known to
 *                       be away, calls answer {@code 503} at once whatever this says
 * @param quietOutageLogs while the database is known to be away, drop other components' log lines
 *                        about it (the engine's jobs, the pool, scheduled tasks), counted and reported
 *                        in one line when it is back
 * @param lockTimeout      PostgreSQL: the longest a pooled connection's statement waits for a lock
 *                         ({@code lock_timeout}); past it the call answers {@code 503} instead of hanging
 *                         behind a lock someone else holds
 * @param statementTimeout PostgreSQL: the longest a pooled connection's statement runs ({@code statement_timeout});
 *                         migrations at start-up run under it too: raise it for a start that migrates a large table
 */
@ConfigurationProperties("countersign.database")
public record DatabaseProperties(@DefaultValue("500ms") Duration probeEvery,
                                 @DefaultValue("10s") Duration connectionWait,
                                 @DefaultValue("true") boolean quietOutageLogs,
                                 @DefaultValue("2s") Duration lockTimeout,
                                 @DefaultValue("15s") Duration statementTimeout) {
}
