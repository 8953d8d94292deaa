package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.testing.TcpProxy;
import dev.countersign.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The database goes away under a running instance (real PostgreSQL behind a relay the test cuts):
 * calls answer a fast {@code 503 service_unavailable} with {@code Retry-After} instead of hanging
 * for the pool's timeout and failing with a {@code 500}; readiness says DOWN while liveness stays
 * UP; the grant JWKS is still served; a long-poll is answered by its deadline; and once the
 * database is back the instance serves again by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "postgres"})
@ContextConfiguration(initializers = DatabaseOutageTest.BehindRelay.class)
class DatabaseOutageTest extends EndToEndBase {

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.beans.factory.annotation.Qualifier("decisionListener")
    org.springframework.boot.health.contributor.HealthIndicator listener;

    static TcpProxy relay;

    /** A fresh database on the shared embedded PostgreSQL, reached through a relay the test can cut. */
    static class BehindRelay implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String url = TestPostgres.newDatabase();
            int serverPort = TestPostgres.server().getPort();
            try {
                relay = new TcpProxy(serverPort);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TestPropertyValues.of(
                    "spring.datasource.url=" + url.replace(":" + serverPort + "/", ":" + relay.port() + "/"),
                    "spring.datasource.username=postgres",
                    "spring.datasource.password=").applyTo(context.getEnvironment());
        }
    }

    @AfterAll
    static void closeRelay() throws IOException {
        relay.close();
    }

    private static String docs() {
        return "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}";
    }

    @Test
    void anOutageAnswers503FastReadinessFollowsAndTheInstanceRecoversByItself() throws Exception {
        assertThat(api.ask(agent, docs()).status()).isEqualTo(201);
        String jwks = api.get(null, "/.well-known/jwks.json").raw().body();
        assertThat(api.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(listener.health().getStatus().getCode()).isEqualTo("UP");

        // A long-poll already waiting when the database goes: answered by its deadline, as the request was last read.
        String pending = api.ask(agent, Api.largePayment()).body().get("id").asString();
        double waitersBefore = meters.get("countersign.actions.waiters").gauge().value();
        long pollStarted = System.nanoTime();
        var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + pending + "?wait=4"));
        await("the long-poll waits").atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("countersign.actions.waiters").gauge().value() > waitersBefore);

        relay.cut();
        try {
            var polled = poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
            Duration pollTook = Duration.ofNanos(System.nanoTime() - pollStarted);
            assertThat(polled.status()).as(polled.raw().body()).isEqualTo(200);
            assertThat(polled.body().get("status").asString()).isEqualTo("PENDING");
            // wait=4: answered by its deadline (the old answer came after the pool's timeout, 16-20 s into an outage).
            assertThat(pollTook).isBetween(Duration.ofSeconds(4), Duration.ofMillis(5_500));

            long started = System.nanoTime();
            var during = api.ask(agent, "outage-" + UUID.randomUUID(), docs());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(during.status()).as(during.raw().body()).isEqualTo(503);
            assertThat(during.code()).isEqualTo("service_unavailable");
            assertThat(during.contentType()).startsWith("application/problem+json");
            assertThat(during.header("Retry-After")).isEqualTo("2");
            // Not the pool's old 30 s: the configured 2 s to give up on a connection, with room for a slow machine.
            assertThat(took).isLessThan(Duration.ofSeconds(10));

            await("readiness goes DOWN").atMost(Duration.ofSeconds(15))
                    .until(() -> api.get(null, "/actuator/health/readiness").status() == 503);
            assertThat(api.get(null, "/actuator/health/liveness").status()).as("liveness does not depend on the database").isEqualTo(200);
            await("the decision listener reports its lost connection").atMost(Duration.ofSeconds(15))
                    .until(() -> listener.health().getStatus().getCode().equals("DOWN"));
            var keys = api.get(null, "/.well-known/jwks.json");
            assertThat(keys.status()).isEqualTo(200);
            assertThat(keys.raw().body()).as("the grant keys are served from memory").isEqualTo(jwks);
        } finally {
            relay.restore();
        }

        await("the instance serves again without a restart").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> api.ask(agent, docs()).status() == 201);
        await("readiness is UP again").atMost(Duration.ofSeconds(15))
                .until(() -> api.get(null, "/actuator/health/readiness").status() == 200);
        assertThat(listener.health().getStatus().getCode()).as("readiness includes the listener").isEqualTo("UP");
    }
}
