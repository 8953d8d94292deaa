package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.testing.TcpProxy;
import dev.countersign.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
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
// ops-agent's own small limit: the calls it makes while the database is away must not use it up.
@org.springframework.test.context.TestPropertySource(properties = "countersign.identity.rate-limit.agents.ops-agent=20")
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class DatabaseOutageTest extends EndToEndBase {

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.beans.factory.annotation.Qualifier("decisionListener")
    org.springframework.boot.health.contributor.HealthIndicator listener;

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

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

    /** The engine's job threads do fail while the database is away; that is expected, not this test's failure. */
    @org.junit.jupiter.api.BeforeAll
    static void engineThreadsMayFail() {
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterAll
    static void closeRelay() throws IOException {
        org.awaitility.Awaitility.reset();
        relay.close();
    }

    private static String docs() {
        return "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}";
    }

    /** Log records (not the lines of their stack traces) at WARN or ERROR. */
    private static final java.util.regex.Pattern PROBLEM_RECORD =
            java.util.regex.Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT[^ ]+ +(WARN|ERROR) ");

    @Test
    void anOutageAnswers503FastReadinessFollowsAndTheInstanceRecoversByItself(CapturedOutput output) throws Exception {
        assertThat(api.ask(agent, docs()).status()).isEqualTo(201);
        // Nobody has fetched the grant JWKS from this instance yet: it must be served through the outage all the same.
        String grantKid = jdbc.sql("select kid from signing_key where retired_at is null").query(String.class).single();
        String ops = api.token("ops-agent", "ops-agent-secret");
        assertThat(api.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
        // The other test of this class may have cut the database just before: the listener reconnects every second.
        await("the decision listener is connected").atMost(Duration.ofSeconds(30))
                .until(() -> listener.health().getStatus().getCode(), "UP"::equals);

        // A long-poll already waiting when the database goes: answered by its deadline, as the request was last read.
        String pending = api.ask(agent, Api.largePayment()).body().get("id").asString();
        double waitersBefore = meters.get("countersign.actions.waiters").gauge().value();
        long pollStarted = System.nanoTime();
        var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + pending + "?wait=4"));
        await("the long-poll waits").atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("countersign.actions.waiters").gauge().value() > waitersBefore);

        // A small load that goes on through the outage: every answer must come within 2 s.
        var loadAnswers = new java.util.concurrent.ConcurrentLinkedQueue<Answered>();
        var loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        var load = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < 4; i++) {
            load.submit(() -> {
                while (loading.get()) {
                    long sent = System.nanoTime();
                    var answer = api.ask(agent, docs());
                    loadAnswers.add(new Answered(sent, Duration.ofNanos(System.nanoTime() - sent), answer));
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            });
        }
        await("the load runs").atMost(Duration.ofSeconds(10)).until(() -> loadAnswers.size() >= 8);

        int logBefore = output.getOut().length();
        double refusalsBefore = meters.get("countersign.database.refusals").counter().count();
        long cut = System.nanoTime();
        relay.cut();
        try {
            await("readiness goes DOWN within 2 s").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> api.get(null, "/actuator/health/readiness").status() == 503);
            long readinessAsked = System.nanoTime();
            assertThat(api.get(null, "/actuator/health/readiness").status()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - readinessAsked)).as("readiness answers from the probe's last look")
                    .isLessThan(Duration.ofSeconds(1));

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

            assertThat(api.get(null, "/actuator/health/liveness").status()).as("liveness does not depend on the database").isEqualTo(200);
            await("the decision listener reports its lost connection").atMost(Duration.ofSeconds(15))
                    .until(() -> listener.health().getStatus().getCode().equals("DEGRADED"));
            var keys = api.get(null, "/.well-known/jwks.json");
            assertThat(keys.status()).as("the grant keys are served from memory, never fetched before").isEqualTo(200);
            assertThat(keys.body().at("/keys/0/kid").asString()).isEqualTo(grantKid);

            // An agent that honours Retry-After through the outage: its unserved calls do not count against its 20 a minute.
            for (int i = 0; i < 30; i++) {
                assertThat(api.ask(ops, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}").status())
                        .as("ops-agent's call %d in the outage", i).isEqualTo(503);
            }
        } finally {
            relay.restore();
        }
        long restored = System.nanoTime();

        await("the instance serves again without a restart").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> api.ask(agent, docs()).status() == 201);
        await("readiness is UP again").atMost(Duration.ofSeconds(15))
                .until(() -> api.get(null, "/actuator/health/readiness").status() == 200);
        var opsAfter = api.ask(ops, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}");
        assertThat(opsAfter.status()).as("ops-agent after the outage: %s", opsAfter.raw().body()).isEqualTo(201);
        await("the decision listener is connected again").atMost(Duration.ofSeconds(15))
                .until(() -> listener.health().getStatus().getCode().equals("UP"));
        await("the load is answered again").atMost(Duration.ofSeconds(10))
                .until(() -> loadAnswers.stream().anyMatch(a -> a.sent() > restored && a.answer().status() == 201));
        loading.set(false);
        load.close();

        // Sent after the cut and before the restore: each a 503 with Retry-After, within 2 s.
        var duringOutage = loadAnswers.stream().filter(a -> a.sent() > cut && a.sent() + a.took().toNanos() < restored).toList();
        assertThat(duringOutage).hasSizeGreaterThan(10).allSatisfy(a -> {
            assertThat(a.answer().status()).as(a.answer().raw().body()).isEqualTo(503);
            assertThat(a.answer().header("Retry-After")).isEqualTo("2");
            assertThat(a.took()).isLessThan(Duration.ofSeconds(2));
        });
        // Each 503 for the outage is counted for the operator's alert (countersign_database_refusals_total).
        long refusedLoad = loadAnswers.stream().filter(a -> a.answer().status() == 503).count();
        assertThat(refusedLoad).isPositive();
        assertThat(meters.get("countersign.database.refusals").counter().count() - refusalsBefore).isGreaterThanOrEqualTo(refusedLoad);
        // Every 201 the load was given is still there.
        var acknowledged = loadAnswers.stream().filter(a -> a.answer().status() == 201).map(a -> a.answer().body().get("id").asString()).toList();
        assertThat(acknowledged).isNotEmpty().allSatisfy(id -> assertThat(count("select count(*) from action_request where id = ?", id))
                .isEqualTo(1));

        // One line when it went and one when it came back, not the engine's stack traces every second. What was in
        // flight at the cut fails and says so before the probe knows (the load, the audit chainer, the engine's job
        // threads: each holding one of the pool's connections, at most two records each: the pool's "marked as broken"
        // and the caller's); how many were in flight is a matter of timing, and their lines may be written just after
        // the probe's. Past the probe's first second (the outage lasts several), only the designed lines, each once.
        String outageLog = output.getOut().substring(logBefore);
        assertThat(outageLog).contains("Database unreachable").contains("Database reachable again after");
        List<String> records = problemRecords(outageLog);
        List<String> designed = List.of("Database unreachable", "Decision listener lost its connection",
                "Cannot share agents' call counts");
        String all = String.join("\n", records);
        assertThat(records.stream().flatMap(line -> designed.stream().filter(line::contains)).toList())
                .as("each designed line once:%n%s", all).contains("Database unreachable").doesNotHaveDuplicates();
        java.time.Instant probeKnew = loggedAt(records.stream().filter(line -> line.contains("Database unreachable")).findFirst().orElseThrow());
        List<String> inFlight = records.stream().filter(line -> designed.stream().noneMatch(line::contains)).toList();
        assertThat(inFlight).as("records of work in flight at the cut:%n%s", all).hasSizeLessThanOrEqualTo(2 * dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class).getMaximumPoolSize())
                .allSatisfy(line -> assertThat(loggedAt(line)).isBefore(probeKnew.plusSeconds(1)));
    }

    private static java.time.Instant loggedAt(String record) {
        return java.time.Instant.parse(record.substring(0, record.indexOf(' ')));
    }

    /** The WARN/ERROR records of a log (their first lines). */
    private static List<String> problemRecords(String log) {
        return log.lines().filter(line -> PROBLEM_RECORD.matcher(line).find()).toList();
    }

    private record Answered(long sent, Duration took, Api.Response answer) {
    }

    /**
     * Votes decide requests while the database goes away under them: some commit and lose the
     * engine's wake-up, some answer 503 and are sent again once it is back. Every decided request's
     * process then ends, and every vote answered 200 is in the database.
     */
    @Test
    void decisionsMadeAcrossAnOutageAllEndTheirProcesses() throws Exception {
        String alice = person("alice");
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < 30; i++) {
            ids.add(api.ask(agent, Api.largePayment().replace("1250.00", "12.50")).body().get("id").asString());
        }
        await("every process waits for its decision").atMost(Duration.ofSeconds(60))
                .until(() -> ids.stream().allMatch(processes::waitingForDecision));

        // Half the votes race the cut; the other half are sent while the database is away.
        var answers = new java.util.concurrent.ConcurrentHashMap<String, Api.Response>();
        try (var votes = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids.subList(0, 15)) {
                votes.submit(() -> answers.put(id, api.vote(alice, id, "APPROVE", null)));
            }
            await("the first votes are in").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> answers.size() >= 3);
            relay.cut();
        }
        try {
            // A precondition for the votes below, not this test's claim (the other test holds readiness to 2 s after a cut).
            await("the outage is known").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> api.get(null, "/actuator/health/readiness").status() == 503);
            for (String id : ids.subList(15, 30)) {
                answers.put(id, api.vote(alice, id, "APPROVE", null));
            }
            assertThat(answers).hasSize(30);
            assertThat(answers.values()).allSatisfy(answer -> assertThat(answer.status()).as(answer.raw().body()).isIn(200, 503));
            assertThat(ids.subList(15, 30)).allSatisfy(id -> assertThat(answers.get(id).status()).isEqualTo(503));
        } finally {
            relay.restore();
        }

        // Acknowledged votes were kept; refused ones are sent again, as a client told "retry" would.
        answers.forEach((id, answer) -> {
            if (answer.status() == 200) {
                assertThat(answer.body().get("status").asString()).isEqualTo("APPROVED");
            }
        });
        // A vote whose commit reached the database just as the connection broke answered 503 but counted: its retry
        // is told so (409 already_voted, or not_pending once decided), never counted twice.
        for (String id : ids) {
            if (answers.get(id).status() == 503) {
                var retried = await("a retried vote is answered").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> api.vote(alice, id, "APPROVE", null), answer -> answer.status() != 503);
                assertThat(retried.status() == 200 || (retried.status() == 409
                        && List.of("already_voted", "not_pending").contains(retried.code()))).as(retried.raw().body()).isTrue();
            }
        }
        assertThat(count("select count(*) from vote where request_id in (" + String.join(",", ids.stream().map(id -> "'" + id + "'").toList())
                + ")")).as("one vote per request, however often it was sent").isEqualTo(30);
        assertThat(count("select count(*) from action_request where id in (" + String.join(",", ids.stream().map(id -> "'" + id + "'").toList())
                + ") and status = 'APPROVED'")).isEqualTo(30);
        await("no decided request keeps a process").atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream().noneMatch(processes::running));
    }
}
