package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.testing.PostgresTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A lock someone else holds on the requests' table (an admin's {@code LOCK TABLE}, a long
 * migration) used to hang every call for as long as it was held, while readiness said UP because
 * {@code select 1} still answered. Now each call gives up after the lock timeout with a
 * {@code 503} and {@code Retry-After}, a long-poll answers by its deadline, and readiness says
 * DOWN until the table can be read again.
 */
@PostgresTest
class LockedTableOnPostgresTest extends EndToEndBase {

    private static final Duration HELD = Duration.ofSeconds(12);

    @Autowired
    DataSource dataSource;

    private static String docs() {
        return "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}";
    }

    @Test
    void callsGiveUpOnALockAndReadinessSaysSoUntilItIsReleased() throws Exception {
        String pending = api.ask(agent, Api.largePayment().replace("1250.00", "1250.33")).body().get("id").asString();
        assertThat(api.get(null, "/actuator/health/readiness").status()).isEqualTo(200);

        var locked = new CompletableFuture<Void>();
        var holder = CompletableFuture.runAsync(() -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (var statement = connection.createStatement()) {
                    statement.execute("lock table action_request in access exclusive mode");
                }
                locked.complete(null);
                java.util.concurrent.locks.LockSupport.parkNanos(HELD.toNanos());
                connection.rollback();
            } catch (Exception e) {
                locked.completeExceptionally(e);
            }
        });
        locked.get();
        long lockedAt = System.nanoTime();

        long started = System.nanoTime();
        var ask = api.ask(agent, docs());
        Duration askTook = Duration.ofNanos(System.nanoTime() - started);
        assertThat(ask.status()).as(ask.raw().body()).isEqualTo(503);
        assertThat(ask.header("Retry-After")).isEqualTo("2");
        assertThat(askTook).as("an ask behind the lock gives up, not waits for it").isLessThan(Duration.ofSeconds(6));

        started = System.nanoTime();
        var poll = api.get(agent, "/api/v1/actions/" + pending + "?wait=5");
        Duration pollTook = Duration.ofNanos(System.nanoTime() - started);
        assertThat(poll.status()).as(poll.raw().body()).isIn(200, 503);
        assertThat(pollTook).as("a wait=5 answers by its deadline").isLessThan(Duration.ofSeconds(7));

        await("readiness says the instance cannot serve").atMost(Duration.ofSeconds(4))
                .until(() -> api.get(null, "/actuator/health/readiness").status() == 503);
        assertThat(Duration.ofNanos(System.nanoTime() - lockedAt)).as("all of this while the lock was still held").isLessThan(HELD);

        holder.get();
        await("readiness is UP once the lock is gone").atMost(Duration.ofSeconds(10))
                .until(() -> api.get(null, "/actuator/health/readiness").status() == 200);
        await("asks are served again").atMost(Duration.ofSeconds(10)).until(() -> api.ask(agent, docs()).status() == 201);
        assertThat(api.get(agent, "/api/v1/actions/" + pending).body().get("status").asString()).isEqualTo("PENDING");
    }
}
