package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.AppProcess;
import dev.countersign.testing.Await;
import dev.countersign.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged application on one PostgreSQL: a vote on instance A wakes the
 * agent's long-poll held on instance B within a second. B's fallback sweep is set to a minute,
 * so only PostgreSQL LISTEN/NOTIFY can wake it that fast.
 */
class CrossInstanceWakeUpIT {

    @Test
    void aDecisionOnOneInstanceWakesWaitersOnAnother() throws Exception {
        String database = TestPostgres.newDatabase();
        // Instance A logs as JSON (Elastic Common Schema), as production is told to (docs/operations.md, "Logs").
        try (var a = AppProcess.start("instance-a", database, "--logging.structured.format.console=ecs");
             var b = AppProcess.start("instance-b", database, "--countersign.actions.wait-sweep=60s")) {
            // Each instance runs its own demo issuer with its own key: tokens are per instance.
            var apiA = new Api(a.port());
            var apiB = new Api(b.port());
            String agentOnB = apiB.token("billing-agent", "billing-agent-secret");
            String aliceOnA = apiA.token("alice", "alice");

            List<Duration> wakeUps = new ArrayList<>();
            java.util.Map<String, String> askTraces = new java.util.HashMap<>();
            for (int round = 0; round < 10; round++) {
                var asked = apiB.ask(agentOnB, Api.largePayment().replace("1250.00", "12.50"));
                String id = asked.body().get("id").asString();
                askTraces.put(id, asked.header("X-Request-Id"));
                var waiting = CompletableFuture.supplyAsync(() -> apiB.get(agentOnB, "/api/v1/actions/" + id + "?wait=30"));
                Await.holds("the agent on B still waits", Duration.ofMillis(300), () -> !waiting.isDone());

                assertThat(apiA.vote(aliceOnA, id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");
                long voted = System.nanoTime();
                var answer = waiting.get(10, TimeUnit.SECONDS);
                wakeUps.add(Duration.ofNanos(System.nanoTime() - voted));

                assertThat(answer.body().get("status").asString()).isEqualTo("APPROVED");
                assertThat(answer.body().at("/grant/token").asString()).isNotBlank();
            }
            assertThat(wakeUps).allSatisfy(wakeUp -> assertThat(wakeUp).isLessThan(Duration.ofSeconds(1)));
            decisionsAreLoggedAsJsonWithTheirTraceAndRequest(a, askTraces);
        }
    }

    /** Each decision A made is one JSON line naming the request and the trace its ask on B started. */
    private static void decisionsAreLoggedAsJsonWithTheirTraceAndRequest(AppProcess a, java.util.Map<String, String> askTraces)
            throws Exception {
        var json = tools.jackson.databind.json.JsonMapper.shared();
        List<tools.jackson.databind.JsonNode> decided = java.nio.file.Files.readAllLines(a.log()).stream()
                .filter(line -> line.startsWith("{") && line.contains("Decided: ")).map(json::readTree).toList();
        assertThat(decided).hasSize(10).allSatisfy(line -> {
            String request = line.get("actionRequest").asString();
            assertThat(line.get("message").asString()).startsWith("Decided: " + request + " APPROVED");
            assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
            // The trace the ask began on the other instance: the X-Request-Id its agent was answered there.
            assertThat(askTraces).containsKey(request);
            assertThat(line.get("traceId").asString()).isEqualTo(askTraces.get(request)).matches("[0-9a-f]{32}");
        });
    }
}
