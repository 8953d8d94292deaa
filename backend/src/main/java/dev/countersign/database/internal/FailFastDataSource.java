package dev.countersign.database.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The pool as everything in the application sees it. While the probe knows the database is away,
 * a connection is refused at once (a {@code 503} within milliseconds, and the engine's jobs fail
 * fast instead of piling up); while it is up and the pool is busy, a call waits up to
 * {@code connection-wait}, asking the pool again each time its own short timeout passes, so that
 * a burst queues and an outage that begins meanwhile is still answered within a probe's interval.
 */
final class FailFastDataSource extends DelegatingDataSource {

    private final DatabaseStatus status;
    private final Duration wait;

    FailFastDataSource(DataSource pool, DatabaseStatus status, Duration wait) {
        super(pool);
        this.status = status;
        this.wait = wait;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            refuseWhileAway();
            try {
                return obtainTargetDataSource().getConnection();
            } catch (SQLTransientConnectionException busyOrAway) {
                if (System.nanoTime() - deadline >= 0) {
                    throw busyOrAway;
                }
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileAway();
        return obtainTargetDataSource().getConnection(username, password);
    }

    private void refuseWhileAway() throws SQLTransientConnectionException {
        // Read once: the probe may end the outage between two reads.
        var since = status.awaySince();
        if (since != null) {
            // SQLState 08001: the client could not establish a connection (what DatabaseUnavailable recognises).
            throw new SQLTransientConnectionException("The database cannot be reached (since " + since + ": " + status.reason() + ")",
                    "08001");
        }
    }
}
