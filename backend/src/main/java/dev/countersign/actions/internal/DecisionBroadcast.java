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
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Wakes long-polls on every instance when a decision commits anywhere. On PostgreSQL a decision
 * sends {@code NOTIFY countersign_decided, '<id>'} inside its transaction (delivered only if it
 * commits), and each instance LISTENs on a dedicated connection of its own. On other databases
 * it does nothing and {@link DecisionWaiters}' short sweep is the fallback.
 */
@Component
class DecisionBroadcast implements SmartLifecycle {

    static final String CHANNEL = "countersign_decided";
    private static final Logger log = LoggerFactory.getLogger(DecisionBroadcast.class);

    private final JdbcClient jdbc;
    private final DataSourceProperties dataSource;
    private final DecisionWaiters waiters;
    private final boolean postgres;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread listener;

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
                    log.warn("Decision listener lost its connection ({}); reconnecting", e.getMessage());
                    sleep();
                }
            }
        }
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
