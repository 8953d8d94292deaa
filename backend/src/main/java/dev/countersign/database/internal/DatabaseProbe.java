package dev.countersign.database.internal;

import dev.countersign.database.DatabaseProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Checks every {@code probe-every} that PostgreSQL answers and can serve (a read of the requests'
 * table within a second: a lock held on it counts as an outage), on a connection of its own (so that a
 * busy pool never looks like an outage, nor an outage like a busy pool), and is the health
 * indicator {@code database} in readiness: it answers from the last look, at once, where Spring's
 * {@code db} indicator would wait for a pooled connection. On an embedded database, which goes
 * away only with the process, it reports UP and looks at nothing.
 */
final class DatabaseProbe implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);

    private final DataSourceProperties dataSource;
    private final DatabaseProperties properties;
    private final DatabaseStatus status;
    private final OutageLogs logs;
    private final Clock clock;
    private final ObjectProvider<DataSource> pool;
    private final boolean postgres;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread prober;
    private Connection connection;

    DatabaseProbe(DataSourceProperties dataSource, DatabaseProperties properties, DatabaseStatus status, OutageLogs logs, Clock clock,
                  ObjectProvider<DataSource> pool) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.properties = properties;
        this.status = status;
        this.logs = logs;
        this.clock = clock;
        this.postgres = String.valueOf(dataSource.determineUrl()).startsWith("jdbc:postgresql:");
    }

    @Override
    public void start() {
        if (!postgres || !running.compareAndSet(false, true)) {
            return;
        }
        look();
        prober = Thread.ofPlatform().name("countersign-database-probe").daemon().start(() -> {
            while (running.get()) {
                try {
                    status.awaitNextLook(properties.probeEvery());
                } catch (InterruptedException stopping) {
                    return;
                }
                look();
            }
        });
    }

    /** One look: reuse the probe's connection while it is valid, else open a new one, with short timeouts either way. */
    void look() {
        try {
            if (connection == null) {
                connection = connect();
            }
            if (!connection.isValid(1)) {
                throw new SQLException("no answer within 1 s", "08006");
            }
            // Answering is not serving: a lock on the requests' table (or statements too slow to finish) holds every call
            // while "select 1" still answers. The look reads that table as an ask does, and gives up after a second.
            try (var statement = connection.createStatement()) {
                statement.execute("select id from action_request where id = ''");
            }
            Duration away = status.markReachable(clock.instant());
            if (away != null) {
                long suppressed = logs.outageOver();
                log.info("Database reachable again after {} s{}", away.toMillis() / 1000.0, suppressed == 0 ? ""
                        : "; " + suppressed + " log lines of other components about it were left out meanwhile");
            }
        } catch (SQLException e) {
            close();
            if (status.markAway(clock.instant(), e.getMessage())) {
                log.warn("Database unreachable ({}): calls answer 503 service_unavailable at once and readiness is DOWN until "
                        + "it answers again; checked every {} ms", e.getMessage(), properties.probeEvery().toMillis());
                forgetPooledConnections();
            }
        }
    }

    /**
     * The pool's connections died with the outage: closed now, quietly, rather than each found dead
     * (and logged) when first borrowed after it.
     */
    private void forgetPooledConnections() {
        try {
            DataSource dataSource = pool.getIfAvailable();
            if (dataSource != null && dataSource.isWrapperFor(HikariDataSource.class)) {
                var hikari = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
                if (hikari != null) {
                    hikari.softEvictConnections();
                }
            }
        } catch (SQLException | RuntimeException notPossible) {
            log.debug("Could not evict the pool's connections", notPossible);
        }
    }

    private Connection connect() throws SQLException {
        var settings = new Properties();
        if (dataSource.determineUsername() != null) {
            settings.setProperty("user", dataSource.determineUsername());
        }
        if (dataSource.determinePassword() != null) {
            settings.setProperty("password", dataSource.determinePassword());
        }
        // PostgreSQL JDBC, in seconds: a blackholed network must not hold the probe for the driver's defaults.
        settings.setProperty("connectTimeout", "1");
        settings.setProperty("loginTimeout", "2");
        settings.setProperty("socketTimeout", "3");
        settings.setProperty("ApplicationName", "countersign-probe");
        Connection opened = DriverManager.getConnection(dataSource.determineUrl(), settings);
        try (var statement = opened.createStatement()) {
            statement.execute("set lock_timeout = 1000; set statement_timeout = 1500");
        }
        return opened;
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException alreadyGone) {
                // nothing to release
            }
            connection = null;
        }
    }

    @Override
    public void stop() {
        running.set(false);
        if (prober != null) {
            prober.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** Early, so that the engine's job executor and the listener start with the status known. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public Health health() {
        if (!postgres) {
            return Health.up().withDetail("database", "embedded: in this process").build();
        }
        if (status.away()) {
            return Health.down().withDetail("awaySince", status.awaySince().toString()).withDetail("error", String.valueOf(status.reason()))
                    .build();
        }
        return Health.up().withDetail("checkedEvery", properties.probeEvery().toString()).build();
    }
}
