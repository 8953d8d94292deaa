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
        try (var a = AppProcess.start("instance-a", database);
             var b = AppProcess.start("instance-b", database, "--countersign.actions.wait-sweep=60s")) {
            // Each instance runs its own demo issuer with its own key: tokens are per instance.
            var apiA = new Api(a.port());
            var apiB = new Api(b.port());
            String agentOnB = apiB.token("billing-agent", "billing-agent-secret");
            String aliceOnA = apiA.token("alice", "alice");

            List<Duration> wakeUps = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                String id = apiB.ask(agentOnB, Api.largePayment().replace("1250.00", "12.50")).body().get("id").asString();
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
        }
    }
}
