package dev.countersign.actions.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Wakes long-polls on every instance when a decision commits anywhere. On PostgreSQL a decision
 * sends {@code NOTIFY countersign_decided, '<id>'} inside its transaction (delivered only if it
 * commits), and each instance LISTENs on a dedicated connection of its own. On other databases
 * it does nothing and {@link DecisionWaiters}' short sweep is the fallback.
 */
@Component("decisionListener")
class DecisionBroadcast implements SmartLifecycle, HealthIndicator {

    static final String CHANNEL = "countersign_decided";
    private static final Logger log = LoggerFactory.getLogger(DecisionBroadcast.class);

    private final JdbcClient jdbc;
    private final DataSourceProperties dataSource;
    private final DecisionWaiters waiters;
    private final boolean postgres;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread listener;
    /** Whether the LISTEN connection is up: without it, other instances' decisions wake waiters only at the 1 s sweep. */
    private volatile boolean listening;

    DecisionBroadcast(JdbcClient jdbc, DataSource dataSource, DataSourceProperties properties, DecisionWaiters waiters) {
        this.jdbc = jdbc;
        this.dataSource = properties;
        this.waiters = waiters;
        this.postgres = isPostgres(dataSource);
    }

    /** Joins the deciding transaction: PostgreSQL delivers the notification at commit, or never. */
    void announce(String requestId) {
        if (postgres) {
            jdbc.sql("select pg_notify(?, ?)").params(CHANNEL, requestId).query(Object.class).optional();
        }
    }

    @Override
    public void start() {
        if (!postgres || !running.compareAndSet(false, true)) {
            return;
        }
        listener = Thread.ofPlatform().name("countersign-decision-listener").daemon().start(this::listen);
    }

    @Override
    public void stop() {
        running.set(false);
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    private void listen() {
        while (running.get()) {
            // A connection of its own, outside the pool: it is held for the life of the instance.
            try (Connection connection = DriverManager.getConnection(dataSource.determineUrl(),
                    dataSource.determineUsername(), dataSource.determinePassword());
                 Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                log.info("Listening for decisions of other instances on PostgreSQL channel {}", CHANNEL);
                listening = true;
                // Decisions committed while we were (re)connecting are caught by the waiters' sweep.
                waiters.sweep();
                while (running.get()) {
                    PGNotification[] notifications = pg.getNotifications(5_000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            waiters.wake(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (running.get()) {
                    // Once per loss, not once a second for as long as the database is away.
                    if (listening) {
                        log.warn("Decision listener lost its connection ({}); reconnecting every second, and until then other "
                                + "instances' decisions reach waiters here within the 1 s sweep", e.getMessage());
                    } else {
                        log.debug("Decision listener cannot connect yet: {}", e.getMessage());
                    }
                    listening = false;
                    sleep();
                }
            }
        }
    }

    static final org.springframework.boot.health.contributor.Status DEGRADED = new org.springframework.boot.health.contributor.Status(
            "DEGRADED", "the decision listener is not connected; waiters are woken by the sweep, within a second");

    /** An instance whose listener is refused (e.g. max_connections reached) or lost says so in health, DEGRADED, not UP. */
    @Override
    public Health health() {
        if (!postgres) {
            return Health.up().withDetail("listener", "not used (no PostgreSQL): waiters are woken by the 1 s sweep").build();
        }
        // Not in readiness: without it, decisions made on other instances still wake waiters, at the 1 s sweep. A listener
        // lost on every instance at once (an idle-session timeout, a proxy) took them all out of service together.
        return listening ? Health.up().withDetail("channel", CHANNEL).build()
                : Health.status(DEGRADED).withDetail("listener", "not connected: other instances' decisions wake waiters only at the 1 s sweep")
                        .build();
    }

    private static void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database", e);
        }
    }
}
