package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.gateway.McpPeers;
import dev.countersign.testing.OtlpReceiver;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One request, one trace (docs/operations.md, "Traces"): an MCP client's call that waits for a person, the person's vote
 * and the gateway's run of the tool are spans of one trace, exported over OTLP to a receiver in this test, and that trace
 * id is in every log line about the request and in the answers' {@code X-Request-Id} and problem {@code instance}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends EndToEndBase {

    static final OtlpReceiver COLLECTOR;
    static final Path FILES;

    static {
        McpPeers.requireInstalled();
        try {
            COLLECTOR = new OtlpReceiver();
            FILES = Files.createTempDirectory("countersign-traced").toRealPath();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        COLLECTOR.close();
    }

    @DynamicPropertySource
    static void tracing(DynamicPropertyRegistry registry) {
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", COLLECTOR::endpoint);
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "100ms");
        registry.add("management.tracing.sampling.probability", () -> "1.0");
        registry.add("countersign.gateway.servers.fs.command", () -> "node");
        registry.add("countersign.gateway.servers.fs.args[0]", McpPeers.FILESYSTEM_SERVER::toString);
        registry.add("countersign.gateway.servers.fs.args[1]", FILES::toString);
    }

    @Test
    void anAskItsVoteAndTheToolsRunAreOneTraceAndItsIdIsInTheLogs(CapturedOutput output) throws Exception {
        Path file = FILES.resolve("traced-" + UUID.randomUUID() + ".txt");
        String desktop = api.token("desktop-agent", "desktop-agent-secret");
        await("the filesystem server connected").atMost(Duration.ofSeconds(60)).until(() -> {
            try (McpSyncClient client = McpPeers.javaClient(port, desktop)) {
                return client.listTools().tools().stream().anyMatch(tool -> tool.name().equals("fs__write_file"));
            }
        });
        McpSyncClient client = McpPeers.javaClient(port, desktop, "traced", Duration.ofSeconds(60));
        CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(() -> client.callTool(
                new McpSchema.CallToolRequest("fs__write_file", Map.of("path", file.toString(), "content", "traced"))),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        String id = await("the call waiting for a person").atMost(Duration.ofSeconds(30)).failFast("the call ended without waiting: " + call, call::isDone).until(() -> jdbc.sql(
                        "select id from action_request where tool = 'fs.write_file' and status = 'PENDING' and body like ?")
                .param("%" + file.getFileName() + "%").query(String.class).list(), ids -> ids.size() == 1).getFirst();
        assertThat(api.vote(person("carol"), id, "APPROVE", "traced").status()).isEqualTo(200);
        assertThat(call.get(30, java.util.concurrent.TimeUnit.SECONDS).isError()).isNotEqualTo(Boolean.TRUE);
        client.close();
        assertThat(Files.readString(file)).isEqualTo("traced");

        String trace = jdbc.sql("select trace_parent from action_request where id = ?").param(id).query(String.class).single()
                .split("-")[1];
        var spans = await("the ask, policy, notify, vote and forward spans exported").atMost(Duration.ofSeconds(20)).until(
                () -> COLLECTOR.spans().stream().filter(span -> trace.equals(span.traceId())).toList(),
                inTrace -> inTrace.stream().map(OtlpReceiver.Span::name).collect(Collectors.toSet())
                        .containsAll(Set.of("countersign.ask", "countersign.policy", "countersign.notify", "countersign.vote",
                                "countersign.forward")));
        // The MCP call's own server span is the root: the ask is its child, and what came later hangs off the ask.
        String ask = spans.stream().filter(span -> span.name().equals("countersign.ask")).findFirst().orElseThrow().spanId();
        assertThat(spans).filteredOn(span -> Set.of("countersign.policy", "countersign.vote", "countersign.forward", "countersign.notify")
                .contains(span.name())).hasSize(4).allSatisfy(span -> assertThat(span.parentSpanId()).isEqualTo(ask));

        // Every log line that names the request carries the trace id (what an operator greps for).
        List<String> aboutIt = output.getAll().lines().filter(line -> line.contains(id)).toList();
        assertThat(aboutIt).as("log lines about " + id).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(line -> assertThat(line).contains(trace));
    }

    @Test
    void anAnswerNamesItsTraceInXRequestIdAndAProblemInItsInstance() {
        var refused = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"amount\":\"not a number\"}}");
        assertThat(refused.status()).isEqualTo(422);
        String requestId = refused.header("X-Request-Id");
        assertThat(requestId).matches("[0-9a-f]{32}");
        assertThat(refused.body().get("instance").asString()).isEqualTo("urn:countersign:trace:" + requestId);
        // Each call its own: another answer, another id, the same in header and problem.
        var missing = api.get(agent, "/api/v1/actions/act_missing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("X-Request-Id")).matches("[0-9a-f]{32}").isNotEqualTo(requestId);
        assertThat(missing.body().get("instance").asString()).isEqualTo("urn:countersign:trace:" + missing.header("X-Request-Id"));
    }
}
