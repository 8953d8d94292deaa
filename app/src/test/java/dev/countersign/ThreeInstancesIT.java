package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.AppProcess;
import dev.countersign.testing.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three instances of the packaged application, with their default pool, on one PostgreSQL left at
 * its default {@code max_connections} of 100: every instance gets its pool, its decision listener
 * and its probe (readiness UP on all three), and a vote on one wakes an agent waiting on another
 * through LISTEN/NOTIFY (the fallback sweep is set to a minute, so nothing else could).
 */
class ThreeInstancesIT {

    @Test
    void threeInstancesFitTheDefaultMaxConnectionsAndWakeEachOther() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "off")
                .start()) {
            try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
                admin.createStatement().execute("create database countersign");
            }
            String url = postgres.getJdbcUrl("postgres", "countersign");
            // The first creates the schema; the other two start side by side on it.
            try (var a = AppProcess.start("three-a", url, "--countersign.actions.wait-sweep=60s")) {
                var starting = List.of("three-b", "three-c").stream()
                        .map(name -> CompletableFuture.supplyAsync(() -> start(name, url))).toList();
                try (var b = starting.get(0).get(180, TimeUnit.SECONDS); var c = starting.get(1).get(180, TimeUnit.SECONDS)) {
                    List<Api> apis = List.of(new Api(a.port()), new Api(b.port()), new Api(c.port()));
                    for (Api api : apis) {
                        // Readiness is the database probe.
                        Await.until(() -> "instance ready", Duration.ofSeconds(30),
                                () -> api.get(null, "/actuator/health/readiness").status() == 200);
                    }
                    // The decision listener is outside readiness: each instance's LISTEN connection must be there too.
                    Await.until(() -> "three decision listeners connected", Duration.ofSeconds(30),
                            () -> listeners(postgres) == 3);
                    long used = count(postgres, "select count(*) from pg_stat_activity where datname = 'countersign'");
                    assertThat(used).as("connections of three instances").isLessThanOrEqualTo(3 * (20 + 2));

                    // Tokens of the built-in issuer work on every instance (its keys are in the database).
                    String agent = apis.get(0).token("billing-agent", "billing-agent-secret");
                    String alice = apis.get(1).token("alice", "alice");
                    List<Duration> wakeUps = new ArrayList<>();
                    for (int round = 0; round < 30; round++) {
                        Api asking = apis.get(round % 3);
                        Api waiting = apis.get((round + 1) % 3);
                        Api voting = apis.get((round + 2) % 3);
                        String id = asking.ask(agent, Api.largePayment().replace("1250.00", "12.50")).body().get("id").asString();
                        var answer = CompletableFuture.supplyAsync(() -> waiting.get(agent, "/api/v1/actions/" + id + "?wait=30"));
                        Await.holds("the agent still waits", Duration.ofMillis(300), () -> !answer.isDone());

                        assertThat(voting.vote(alice, id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
                        long voted = System.nanoTime();
                        var answered = answer.get(10, TimeUnit.SECONDS);
                        wakeUps.add(Duration.ofNanos(System.nanoTime() - voted));
                        assertThat(answered.body().get("status").asString()).isEqualTo("APPROVED");
                    }
                    List<Duration> sorted = wakeUps.stream().sorted().toList();
                    Duration p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
                    assertThat(p99).as("cross-instance wake-up p99 of %s", sorted).isLessThan(Duration.ofMillis(250));
                }
            }
        }
    }

    private static AppProcess start(String name, String url) {
        try {
            return AppProcess.start(name, url, "--countersign.actions.wait-sweep=60s");
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not start", e);
        }
    }

    private static long listeners(EmbeddedPostgres postgres) {
        try {
            return count(postgres, "select count(*) from pg_stat_activity where datname = 'countersign' and query like 'LISTEN%'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(EmbeddedPostgres postgres, String sql) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             var result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
