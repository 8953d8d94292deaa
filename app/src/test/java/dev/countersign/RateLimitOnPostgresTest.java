package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.audit.AuditLog;
import dev.countersign.testing.PostgresTest;
import dev.countersign.testing.RawHttpCaller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * One agent floods the API with calls for a tool outside its list, 100 at a time; another agent's
 * small auto-allowed reads must not notice. Before the limit, every refused call was an audited
 * write queued on the chain's one tip row: with the limit lifted, this flood made the reads' p50
 * 213 ms against 9.7 ms idle (22×), and 85 ms (9×, CPU) once audit writes stopped queueing; with
 * the limit, 1.1–1.4× over 100 reads each.
 */
@PostgresTest
// An hour's window: the flood's seconds can slide no earlier call out of it, so exactly 40 get through.
@TestPropertySource(properties = {"countersign.identity.rate-limit.agents.ops-agent=40", "countersign.identity.rate-limit.per=1h"})
class RateLimitOnPostgresTest extends EndToEndBase {

    private static final int FLOODERS = 100;
    private static final int READS = 100;
    /**
     * Each of the 100 callers sends again this soon after its last call was sent (or at once, when
     * the answer took longer): 500 calls a second, 45,000 times the agent's limit. Not faster, because
     * on a two-core machine that also runs the callers, a tighter loop measures the CPU both share.
     */
    private static final Duration PACE = Duration.ofMillis(200);

    @Autowired
    AuditLog audit;

    private static String read() {
        return "{\"tool\":\"docs.read\",\"arguments\":{\"path\":\"/" + UUID.randomUUID() + "\"}}";
    }

    private long readNanos() {
        long started = System.nanoTime();
        var answer = api.ask(agent, read());
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201);
        assertThat(answer.body().get("status").asString()).isEqualTo("APPROVED");
        return System.nanoTime() - started;
    }

    private List<Long> reads() {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            nanos.add(readNanos());
        }
        return nanos;
    }

    /**
     * 100 callers send as the agent, together 500 calls a second: {@code during} runs once 500 answers of this flood
     * have come, and the flood goes on until 500 more have.
     */
    private void flood(String flooder, ConcurrentLinkedQueue<RawHttpCaller.Answer> answers, Runnable during) {
        int before = answers.size();
        var flooding = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < FLOODERS; i++) {
                long offset = i * PACE.toNanos() / FLOODERS;
                var caller = new RawHttpCaller(port, "POST", "/api/v1/actions", flooder, "flood-" + UUID.randomUUID(), Api.largePayment());
                pool.submit(() -> {
                    try (caller) {
                        long next = System.nanoTime() + offset;
                        while (flooding.get()) {
                            LockSupport.parkNanos(next - System.nanoTime());
                            answers.add(caller.call());
                            next += PACE.toNanos();
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= before + 500);
            during.run();
            int after = answers.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= after + 500);
            flooding.set(false);
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    @Test
    void aFloodingAgentGets429sAndAnotherAgentsReadsKeepTheirPace() throws Exception {
        String flooder = api.token("ops-agent", "ops-agent-secret");
        var answers = new ConcurrentLinkedQueue<RawHttpCaller.Answer>();
        // Warm: the JIT has compiled the read's path and the flood's (refusals at the door, on a hundred connections),
        // and reads during a flood, before anything is timed: without the first, untimed flood, a JVM that has not
        // flooded before (this class run early, or alone) times the refusals' first compilation against a warm read.
        for (int i = 0; i < 200; i++) {
            readNanos();
        }
        flood(flooder, answers, () -> reads());
        long idle = median(reads());

        List<Long> duringFlood = new ArrayList<>();
        flood(flooder, answers, () -> duringFlood.addAll(reads()));

        assertThat(answers).as("two floods of at least 1,000 calls each").hasSizeGreaterThanOrEqualTo(2_000);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isIn(403, 429));
        assertThat(answers).filteredOn(answer -> answer.status() == 403).as("refused for the tool, within its limit").hasSize(40)
                .allSatisfy(answer -> assertThat(answer.body()).contains("\"code\":\"forbidden\"", "may not use tool 'payments.transfer'"));
        assertThat(answers).filteredOn(answer -> answer.status() == 429).allSatisfy(answer -> {
            assertThat(answer.body()).contains("\"code\":\"too_many_requests\"", "more than its 40 calls per 3600 s");
            assertThat(Long.parseLong(answer.retryAfter())).isBetween(1L, 7_200L);
        });

        long flooded = median(duringFlood);
        System.out.printf("Flood test: docs.read p50 idle %.1f ms, during the flood %.1f ms (%.2fx)%n", idle / 1e6, flooded / 1e6, (double) flooded / idle);
        assertThat(flooded).as("docs.read p50 during the flood (%.1f ms) against idle (%.1f ms)", flooded / 1e6, idle / 1e6)
                .isLessThanOrEqualTo(2 * idle);

        // The limit is the agent's, whatever it calls: the MCP gateway refuses it too, and another agent is unaffected.
        var mcp = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/mcp"))
                .header("Authorization", "Bearer " + flooder)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"flood\",\"version\":\"1\"}}}")));
        assertThat(mcp.status()).as(mcp.raw().body()).isEqualTo(429);
        assertThat(mcp.code()).isEqualTo("too_many_requests");
        assertThat(readNanos()).isPositive();

        // The flood leaves one audit entry, not one per refused call; and the chain holds.
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.newest(Long.MAX_VALUE, 5_000).stream()
                .anyMatch(entry -> entry.type().equals("agent.rate_limited")));
        assertThat(audit.newest(Long.MAX_VALUE, 5_000)).filteredOn(entry -> entry.type().equals("agent.rate_limited"))
                .singleElement().satisfies(entry -> {
                    assertThat(entry.actor()).isEqualTo("ops-agent");
                    assertThat(entry.data()).contains("\"limit\":40");
                });
        assertThat(audit.newest(Long.MAX_VALUE, 5_000)).filteredOn(entry -> entry.type().equals("action.refused")).hasSize(40);
        assertThat(audit.verify().valid()).isTrue();
    }
}
