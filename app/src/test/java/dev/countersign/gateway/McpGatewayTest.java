package dev.countersign.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Countersign as an MCP gateway in front of the official filesystem server and a small upstream
 * that can die, driven by the official TypeScript SDK's client and by the MCP Java SDK's client.
 */
@EndToEndTest
class McpGatewayTest extends EndToEndBase {

    /** What OpenAI's API (and those copying it) accept as a function name. */
    static final java.util.regex.Pattern OPENAI_FUNCTION_NAME = java.util.regex.Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

    static final Path FILES;
    /** An upstream over Streamable HTTP that wants a header the gateway is configured to send. */
    static final Process WEB;
    static final int WEB_PORT;

    static {
        McpPeers.requireInstalled();
        try {
            FILES = Files.createTempDirectory("countersign-mcp-fs").toRealPath();
            WEB = new ProcessBuilder("node", McpPeers.FOLDER.resolve("http-server.mjs").toString(), "upstream-secret")
                    .directory(McpPeers.FOLDER.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(WEB.getInputStream())).readLine();
            if (line == null || !line.startsWith("listening ")) {
                throw new IllegalStateException("the HTTP upstream did not start: " + line);
            }
            WEB_PORT = Integer.parseInt(line.substring("listening ".length()).strip());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void stopWeb() {
        WEB.destroyForcibly();
    }

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("countersign.gateway.servers.fs.command", () -> "node");
        registry.add("countersign.gateway.servers.fs.args[0]", McpPeers.FILESYSTEM_SERVER::toString);
        registry.add("countersign.gateway.servers.fs.args[1]", FILES::toString);
        registry.add("countersign.gateway.servers.flaky.command", () -> "node");
        registry.add("countersign.gateway.servers.flaky.args[0]", McpPeers.FLAKY_SERVER::toString);
        registry.add("countersign.gateway.servers.web.url", () -> "http://127.0.0.1:" + WEB_PORT + "/mcp");
        registry.add("countersign.gateway.servers.web.headers.X-Upstream-Key", () -> "upstream-secret");
        registry.add("countersign.gateway.progress-interval", () -> "1s");
        registry.add("countersign.gateway.reconnect", () -> "1s");
    }

    private String desktop() {
        return api.token("desktop-agent", "desktop-agent-secret");
    }

    private void awaitUpstreams() {
        await("both upstreams connected").atMost(Duration.ofSeconds(60)).until(() ->
                toolNames(McpPeers.tsClient(port, desktop(), "list").answer()).containsAll(List.of("fs__write_file", "flaky__echo", "web__shout")));
    }

    private static List<String> toolNames(JsonNode listed) {
        return listed.path("tools").valueStream().map(tool -> tool.get("name").asString()).toList();
    }

    private String pendingWrite(Path file) {
        return await("a pending request for the write of " + file).atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                        "select id from action_request where agent_id = 'desktop-agent' and tool = 'fs.write_file' and status = 'PENDING' "
                                + "and body like ?").param("%" + file.getFileName() + "%").query(String.class).list(),
                ids -> ids.size() == 1).getFirst();
    }

    private long requestsFor(Path file) {
        return count("select count(*) from action_request where tool = 'fs.write_file' and body like ?", "%" + file.getFileName() + "%");
    }

    private static Map<String, Object> write(Path file, String content) {
        return Map.of("path", file.toString(), "content", content);
    }

    @Test
    void eachAgentSeesOnlyItsOwnToolsAndReadsAnswerAtOnce() throws Exception {
        awaitUpstreams();
        Files.writeString(FILES.resolve("hello.txt"), "hello from the filesystem server");
        List<String> desktop = toolNames(McpPeers.tsClient(port, desktop(), "list").answer());
        assertThat(desktop).contains("fs__read_text_file", "fs__write_file", "fs__move_file", "flaky__echo", "flaky__die");
        List<String> reader = toolNames(McpPeers.tsClient(port, api.token("reader-agent", "reader-agent-secret"), "list").answer());
        assertThat(reader).isNotEmpty().allMatch(name -> name.startsWith("fs__read_") || name.startsWith("fs__list_"))
                .contains("fs__read_text_file", "fs__list_directory");

        JsonNode read = McpPeers.tsClient(port, desktop(), "call", "fs__read_text_file",
                "{\"path\":\"" + FILES.resolve("hello.txt") + "\"}").answer();
        assertThat(read.path("result").path("isError").asBoolean(false)).as(read.toString()).isFalse();
        assertThat(read.path("result").path("content").get(0).get("text").asString()).isEqualTo("hello from the filesystem server");

        // The upstream's descriptions, schemas and annotations come through under the gateway's names.
        try (McpSyncClient client = McpPeers.javaClient(port, desktop())) {
            McpSchema.Tool write = client.listTools().tools().stream().filter(t -> t.name().equals("fs__write_file")).findFirst().orElseThrow();
            assertThat(write.description()).isNotBlank();
            assertThat(write.annotations().destructiveHint()).isTrue();
            assertThat(write.inputSchema()).containsKey("properties");
        }
    }

    @Test
    void gatewayCallsAreCountedByUpstreamAndOutcomeWithTheTimeCountersignAdded() throws Exception {
        awaitUpstreams();
        Files.writeString(FILES.resolve("metered.txt"), "read for the metrics");
        String scraper = api.token("prometheus", "prometheus-secret");
        var before = dev.countersign.testing.Scrape.of(api.get(scraper, "/actuator/prometheus").raw().body());
        assertThat(before.sum("countersign_gateway_upstream_up", "upstream", "fs")).isEqualTo(1);
        double ran = before.sum("countersign_gateway_calls_total", "upstream", "fs", "outcome", "ran");
        double added = before.sum("countersign_gateway_added_time_seconds_count", "upstream", "fs");
        double upstreamTimed = before.sum("countersign_gateway_upstream_time_seconds_count", "upstream", "fs");

        try (McpSyncClient client = McpPeers.javaClient(port, desktop())) {
            var read = client.callTool(new McpSchema.CallToolRequest("fs__read_text_file", Map.of("path", FILES.resolve("metered.txt").toString())));
            assertThat(read.isError()).as(read.toString()).isNotEqualTo(Boolean.TRUE);
        }

        var after = dev.countersign.testing.Scrape.of(api.get(scraper, "/actuator/prometheus").raw().body());
        assertThat(after.sum("countersign_gateway_calls_total", "upstream", "fs", "outcome", "ran")).isGreaterThanOrEqualTo(ran + 1);
        assertThat(after.sum("countersign_gateway_added_time_seconds_count", "upstream", "fs")).isGreaterThanOrEqualTo(added + 1);
        assertThat(after.sum("countersign_gateway_upstream_time_seconds_count", "upstream", "fs")).isGreaterThanOrEqualTo(upstreamTimed + 1);
        assertThat(after.sum("countersign_gateway_added_time_seconds_sum", "upstream", "fs")).isPositive();
        assertThat(after.sum("countersign_requests_asked_total", "tool", "fs.read_text_file", "outcome", "approved")).isPositive();
        // One series per configured upstream, whatever tools agents call.
        assertThat(after.series("countersign_gateway_upstream_up")).extracting(sample -> sample.labels().get("upstream"))
                .containsExactlyInAnyOrder("fs", "flaky", "web");
    }

    @Test
    void everyListedNameIsOneModelApisAccept() throws Exception {
        awaitUpstreams();
        List<String> listed = toolNames(McpPeers.tsClient(port, desktop(), "list").answer());
        assertThat(listed).contains("fs__write_file", "fs__read_text_file", "flaky__echo", "web__shout")
                .allMatch(name -> OPENAI_FUNCTION_NAME.matcher(name).matches());
        // The catalog's dotted name, which policy and approvers use, travels with each tool.
        try (McpSyncClient client = McpPeers.javaClient(port, desktop())) {
            McpSchema.Tool write = client.listTools().tools().stream().filter(t -> t.name().equals("fs__write_file")).findFirst().orElseThrow();
            assertThat(write.meta()).containsEntry("countersign/name", "fs.write_file");
        }
    }

    @Test
    void theOpenAiAgentsSdkListsAndCallsThroughTheGateway() throws Exception {
        awaitUpstreams();
        Files.writeString(FILES.resolve("for-the-agents-sdk.txt"), "read by an OpenAI agent");
        JsonNode read = McpPeers.agentsSdk(port, desktop(), "fs__read_text_file",
                "{\"path\":\"" + FILES.resolve("for-the-agents-sdk.txt") + "\"}").answer();
        assertThat(read.has("error")).as(read.toString()).isFalse();
        assertThat(read.get("functions").valueStream().map(JsonNode::asString).toList()).contains("fs__read_text_file", "fs__write_file");
        assertThat(read.get("final").asString()).contains("read by an OpenAI agent");

        // A call that waits for a person: the SDK's default timeout holds while carol approves.
        Path file = FILES.resolve("agents-sdk-" + UUID.randomUUID() + ".txt");
        var write = McpPeers.agentsSdk(port, desktop(), "fs__write_file",
                tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(write(file, "written by an OpenAI agent")));
        String id = pendingWrite(file);
        var shown = api.get(person("carol"), "/api/v1/approvals/" + id).body();
        assertThat(shown.at("/context/mcpTool").asString()).as(shown.toString()).isEqualTo("fs__write_file");
        assertThat(api.vote(person("carol"), id, "APPROVE", "fine").status()).isEqualTo(200);
        JsonNode written = write.answer();
        assertThat(written.has("error")).as(written.toString()).isFalse();
        assertThat(Files.readString(file)).isEqualTo("written by an OpenAI agent");
        assertThat(requestsFor(file)).isEqualTo(1);
    }

    @Test
    void aTaskAnswersAtOnceWaitsForTheApprovalAndCompletesWithTheToolsResult() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("task-" + UUID.randomUUID() + ".txt");
        String arguments = tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(write(file, "written as a task"));
        // The TypeScript SDK's callToolStream: it uses a task because the server and the tool say it may.
        var streamed = McpPeers.tasksClient(port, desktop(), "stream", "fs__write_file", arguments);
        String id = pendingWrite(file);
        await("the client polls a working task").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> streamed.process().isAlive() && !Files.exists(file));
        assertThat(api.vote(person("carol"), id, "APPROVE", "fine").status()).isEqualTo(200);

        JsonNode answer = streamed.answer();
        List<String> kinds = answer.path("events").valueStream().map(event -> event.get("type").asString()).toList();
        assertThat(kinds).as(answer.toString()).startsWith("taskCreated").contains("taskStatus").endsWith("result");
        JsonNode created = answer.path("events").get(0);
        assertThat(created.get("status").asString()).isEqualTo("working");
        assertThat(created.get("statusMessage").asString()).contains("Waiting for approval: 0 of 1 from group:platform").contains(id);
        assertThat(answer.path("result").path("isError").asBoolean(false)).as(answer.toString()).isFalse();
        assertThat(answer.at("/result/_meta/io.modelcontextprotocol~1related-task/taskId").asString()).startsWith("task_");
        assertThat(Files.readString(file)).isEqualTo("written as a task");
        assertThat(requestsFor(file)).isEqualTo(1);
    }

    @Test
    void aTaskIsItsAgentsFromAnyConnectionNobodyElsesAndCancellingItWithdrawsTheRequest() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("task-cancelled-" + UUID.randomUUID() + ".txt");
        String arguments = tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(write(file, "never"));
        JsonNode created = McpPeers.tasksClient(port, desktop(), "create", "fs__write_file", arguments).answer();
        String taskId = created.at("/task/taskId").asString();
        assertThat(created.at("/task/status").asString()).as(created.toString()).isEqualTo("working");
        String id = pendingWrite(file);

        // Another connection (a new session) of the same agent reads it; another agent cannot tell it exists.
        JsonNode read = McpPeers.tasksClient(port, desktop(), "get", taskId).answer();
        assertThat(read.get("status").asString()).as(read.toString()).isEqualTo("working");
        assertThat(read.get("statusMessage").asString()).contains(id);
        JsonNode listed = McpPeers.tasksClient(port, desktop(), "list").answer();
        assertThat(listed.path("tasks").valueStream().map(task -> task.get("taskId").asString()).toList()).contains(taskId);
        String other = api.token("reader-agent", "reader-agent-secret");
        JsonNode foreign = McpPeers.tasksClient(port, other, "get", taskId).answer();
        assertThat(foreign.path("error").asString()).as(foreign.toString()).contains("Task not found");
        assertThat(McpPeers.tasksClient(port, other, "cancel", taskId).answer().path("error").asString()).contains("Task not found");
        assertThat(McpPeers.tasksClient(port, other, "list").answer().path("tasks").valueStream()
                .noneMatch(task -> task.get("taskId").asString().equals(taskId))).isTrue();

        JsonNode cancelled = McpPeers.tasksClient(port, desktop(), "cancel", taskId).answer();
        assertThat(cancelled.get("status").asString()).as(cancelled.toString()).isEqualTo("cancelled");
        assertThat(jdbc.sql("select status || ' ' || decided_by from action_request where id = ?").param(id).query(String.class).single())
                .isEqualTo("CANCELLED AGENT");
        JsonNode again = McpPeers.tasksClient(port, desktop(), "cancel", taskId).answer();
        assertThat(again.path("error").asString()).as(again.toString()).contains("already cancelled");
        JsonNode result = McpPeers.tasksClient(port, desktop(), "result", taskId).answer();
        assertThat(result.path("isError").asBoolean()).as(result.toString()).isTrue();
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void aDeniedTaskCompletesWithAnErrorResultAndAnAllowedOneWithTheToolsResult() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("task-denied-" + UUID.randomUUID() + ".txt");
        JsonNode created = McpPeers.tasksClient(port, desktop(), "create", "fs__write_file",
                tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(write(file, "no"))).answer();
        String taskId = created.at("/task/taskId").asString();
        assertThat(api.vote(person("carol"), pendingWrite(file), "DENY", "not today").status()).isEqualTo(200);
        JsonNode denied = McpPeers.tasksClient(port, desktop(), "get", taskId).answer();
        assertThat(denied.get("status").asString()).as(denied.toString()).isEqualTo("completed");
        JsonNode result = McpPeers.tasksClient(port, desktop(), "result", taskId).answer();
        assertThat(result.path("isError").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.at("/content/0/text").asString()).contains("denied").contains("not today").contains("Nothing was run");

        Files.writeString(FILES.resolve("task-read.txt"), "read as a task");
        JsonNode allowed = McpPeers.tasksClient(port, desktop(), "create", "fs__read_text_file",
                "{\"path\":\"" + FILES.resolve("task-read.txt") + "\"}").answer();
        JsonNode read = McpPeers.tasksClient(port, desktop(), "result", allowed.at("/task/taskId").asString()).answer();
        assertThat(read.at("/content/0/text").asString()).as(read.toString()).isEqualTo("read as a task");
    }

    @Test
    void theOfficialConformanceSuitePassesAllButTheScenariosListedWithTheirReasons() throws Exception {
        awaitUpstreams();
        // The suite calls /mcp without a token; this proxy adds the agent's, as the agent's own client would.
        try (var proxy = new dev.countersign.testing.RoundRobinProxy(List.of(port), Map.of("Authorization", "Bearer " + desktop()))) {
            Path output = Path.of("target/mcp-conformance").toAbsolutePath();
            Process suite = new ProcessBuilder(McpPeers.FOLDER.resolve("node_modules/.bin/node").toString(),
                    McpPeers.FOLDER.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js").toString(), "server",
                    "--url", "http://127.0.0.1:" + proxy.port() + "/mcp",
                    "--expected-failures", McpPeers.FOLDER.resolve("conformance-expected-failures.yml").toString(), "-o", output.toString())
                    .directory(McpPeers.FOLDER.toFile()).redirectErrorStream(true).start();
            String report = new String(suite.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(suite.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            assertThat(suite.exitValue()).as(report).isZero();
        }
    }

    @Test
    void anUpstreamOverStreamableHttpIsCalledWithItsConfiguredHeaders() throws Exception {
        awaitUpstreams();
        try (McpSyncClient client = McpPeers.javaClient(port, desktop())) {
            var shouted = client.callTool(new McpSchema.CallToolRequest("web__shout", Map.of("text", "through the gateway")));
            assertThat(shouted.isError()).as(McpPeers.text(shouted)).isNotEqualTo(Boolean.TRUE);
            assertThat(McpPeers.text(shouted)).isEqualTo("THROUGH THE GATEWAY");
        }
    }

    @Test
    void anAgentCannotCallAToolOutsideItsList() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("reader-" + UUID.randomUUID() + ".txt");
        try (McpSyncClient reader = McpPeers.javaClient(port, api.token("reader-agent", "reader-agent-secret"))) {
            var result = reader.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "nope")));
            assertThat(result.isError()).isTrue();
            assertThat(McpPeers.text(result)).contains("forbidden").contains("may not use tool 'fs.write_file'");
        }
        assertThat(file).doesNotExist();
        assertThat(requestsFor(file)).isZero();
    }

    @Test
    void aWriteBlocksUntilApprovedThenWritesExactlyTheApprovedContents() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("approved-" + UUID.randomUUID() + ".txt");
        String content = "line one\nünïcødé ✓ and \"quotes\"\n";
        var call = McpPeers.tsClient(port, desktop(), "call", "fs__write_file", tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(write(file, content)));
        String id = pendingWrite(file);
        await("the call stays open while nobody has approved").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> call.process().isAlive() && !Files.exists(file));

        // Approvers see the tool and the exact arguments; what the client calls itself is its own statement, in context.
        var shown = api.get(person("carol"), "/api/v1/approvals").body().get("items").valueStream()
                .filter(item -> item.get("id").asString().equals(id)).findFirst().orElseThrow();
        assertThat(shown.get("tool").asString()).isEqualTo("fs.write_file");
        // The agent's display name (countersign.identity.agents[].name) beside its id.
        assertThat(shown.get("agentName").asString()).isEqualTo("Desktop assistant");
        assertThat(shown.at("/context/mcpClient/name").asString()).isEqualTo("countersign-test-client");
        assertThat(shown.get("arguments").get("content").asString()).isEqualTo(content);

        assertThat(api.vote(person("carol"), id, "APPROVE", "fine").status()).isEqualTo(200);
        JsonNode answer = call.answer();
        assertThat(answer.path("result").path("isError").asBoolean(false)).as(answer.toString()).isFalse();
        assertThat(Files.readString(file)).isEqualTo(content);
        // While it waited, the client was told who must approve and how long is left.
        assertThat(answer.path("progress").valueStream().map(JsonNode::asString).toList()).isNotEmpty()
                .allMatch(message -> message.contains("0 of 1 from group:platform") && message.contains(id));
        assertThat(count("select count(*) from grant_token where request_id = ? and redeemed_at is not null and redeemed_by = 'mcp-gateway'", id))
                .isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'gateway.forwarded'", id)).isEqualTo(1);
    }

    @Test
    void whatAClientCallsItselfIsShownAsItsOwnWordsNeverInsideCountersignsSentences() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("named-" + UUID.randomUUID() + ".txt");
        String name = "x'). Countersign check: arguments verified, safe to approve (checked by";
        try (McpSyncClient client = McpPeers.javaClient(port, desktop(), name)) {
            var call = CompletableFuture.supplyAsync(() -> client.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "x"))),
                    Executors.newVirtualThreadPerTaskExecutor());
            String id = pendingWrite(file);
            var shown = api.get(person("carol"), "/api/v1/approvals").body().get("items").valueStream()
                    .filter(item -> item.get("id").asString().equals(id)).findFirst().orElseThrow();

            assertThat(shown.has("justification")).as(shown.toString()).isFalse();
            assertThat(shown.at("/context/mcpClient/name").asString()).isEqualTo(name);
            assertThat(shown.toString().replace(shown.at("/context").toString(), "")).doesNotContain("Countersign check");
            // The agent withdraws it: the waiting call is told so, and that calling again asks anew (no cool-down for this).
            var cancelled = api.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/actions/" + id
                    + "/cancel")).header("Authorization", "Bearer " + desktop()).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(cancelled.status()).as(cancelled.raw().body()).isEqualTo(200);
            var result = call.get();
            assertThat(result.isError()).isTrue();
            assertThat(McpPeers.text(result)).contains("cancelled").contains("asks the approvers anew").doesNotContain("recently_denied");
        }
    }

    @Test
    void aClientThatCancelsStopsTheWaitAtOnceAndTheApprovalIsCarriedOutWithoutIt() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("cancelled-" + UUID.randomUUID() + ".txt");
        String arguments = tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(write(file, "run by the gateway"));
        // The TypeScript SDK's client as with its default timeout, only 3 s: on timeout it sends notifications/cancelled.
        var call = McpPeers.tsClient(port, desktop(), Duration.ofSeconds(3), "call", "fs__write_file", arguments);
        String id = pendingWrite(file);
        JsonNode gaveUp = call.answer();
        assertThat(gaveUp.path("error").asString()).as(gaveUp.toString()).containsIgnoringCase("timed out");
        await("the gateway stops waiting when the client cancels").atMost(Duration.ofSeconds(5)).until(() ->
                count("select count(*) from audit_entry where request_id = ? and type = 'gateway.wait_stopped' and data like '%cancelled%'", id) == 1);
        assertThat(api.get(person("carol"), "/api/v1/approvals/" + id).body().get("status").asString()).isEqualTo("PENDING");

        // Nobody waits any more; carol approves: the gateway carries it out once and keeps the outcome.
        assertThat(api.vote(person("carol"), id, "APPROVE", "fine").status()).isEqualTo(200);
        await("the approval is carried out with nobody waiting").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file)
                && count("select count(*) from gateway_outcome where request_id = ?", id) == 1);
        assertThat(Files.readString(file)).isEqualTo("run by the gateway");

        JsonNode again = McpPeers.tsClient(port, desktop(), Duration.ofSeconds(10), "call", "fs__write_file", arguments).answer();
        assertThat(again.path("result").path("isError").asBoolean(false)).as(again.toString()).isFalse();
        assertThat(again.at("/result/_meta/countersign~1replay/requestId").asString()).as(again.toString()).isEqualTo(id);
        assertThat(requestsFor(file)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'gateway.forwarded'", id)).isEqualTo(1);
    }

    @Test
    void aHeldApprovalRunsWhenTheAgentCallsAgainNotWhenNobodyWaits() throws Exception {
        awaitUpstreams();
        Path from = Files.writeString(FILES.resolve("held-" + UUID.randomUUID() + ".txt"), "moved at the agent's moment");
        Path to = FILES.resolve("held-moved-" + UUID.randomUUID() + ".txt");
        var move = new McpSchema.CallToolRequest("fs__move_file", Map.of("source", from.toString(), "destination", to.toString()));
        try (McpSyncClient impatient = McpPeers.javaClient(port, desktop(), "impatient", Duration.ofSeconds(2))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> impatient.callTool(move)).as("the client gives up after 2 s");
            String id = await("the pending move").atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                    "select id from action_request where tool = 'fs.move_file' and status = 'PENDING' and body like ?")
                    .param("%" + from.getFileName() + "%").query(String.class).list(), ids -> ids.size() == 1).getFirst();
            var shown = api.get(person("carol"), "/api/v1/approvals/" + id).body();
            assertThat(shown.at("/approval/onApproval").asString()).as(shown.toString()).isEqualTo("hold");
            assertThat(api.vote(person("carol"), id, "APPROVE", "when the agent is ready").status()).isEqualTo(200);

            // onApproval: hold. Nobody waits, so nothing runs: the approval waits for the agent.
            await("held, not run").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> Files.exists(from) && !Files.exists(to));
            var again = impatient.callTool(move);
            assertThat(again.isError()).as(McpPeers.text(again)).isNotEqualTo(Boolean.TRUE);
            assertThat(again.meta() == null || !again.meta().containsKey("countersign/replay")).as("a run now, not a replay").isTrue();
            assertThat(Files.readString(to)).isEqualTo("moved at the agent's moment");
            assertThat(count("select count(*) from action_request where tool = 'fs.move_file' and body like ?", "%" + from.getFileName() + "%"))
                    .as("the call joined the held approval").isEqualTo(1);
        }
    }

    @Test
    void aClientThatVanishesWhileItsProgressIsReportedStopsTheWait() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("vanished-" + UUID.randomUUID() + ".txt");
        // The TypeScript client asks for progress (a progressToken); the gateway reports every second.
        var call = McpPeers.tsClient(port, desktop(), "call", "fs__write_file",
                tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(write(file, "x")));
        String id = pendingWrite(file);
        call.process().destroyForcibly(); // killed: no notifications/cancelled, the connection just drops
        await("the next progress it cannot be sent ends the wait").atMost(Duration.ofSeconds(20)).until(() ->
                count("select count(*) from audit_entry where request_id = ? and type = 'gateway.wait_stopped' and data like '%disconnected%'", id) == 1);
        assertThat(api.get(person("carol"), "/api/v1/approvals/" + id).body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void aClientThatGaveUpGetsTheOneRunsOutcomeWhenItCallsAgainAndNoSecondApproval() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("gave-up-" + UUID.randomUUID() + ".txt");
        try (McpSyncClient impatient = McpPeers.javaClient(port, desktop(), "impatient", Duration.ofSeconds(2))) {
            var call = new McpSchema.CallToolRequest("fs__write_file", write(file, "written once"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> impatient.callTool(call)).as("the client gives up after 2 s");
            String id = pendingWrite(file);

            // Approved after the client gave up: the gateway runs it once and keeps the outcome.
            assertThat(api.vote(person("carol"), id, "APPROVE", "fine").status()).isEqualTo(200);
            await("the approved write runs with nobody waiting").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file)
                    && count("select count(*) from gateway_outcome where request_id = ?", id) == 1);

            // The model calls again, as models do after a timeout: the stored outcome, marked as a replay; nothing asked or run again.
            var again = impatient.callTool(call);
            assertThat(again.isError()).as(McpPeers.text(again)).isFalse();
            assertThat(McpPeers.text(again)).contains("did not run again").contains(id);
            assertThat(again.meta()).containsKey("countersign/replay");
            assertThat(requestsFor(file)).isEqualTo(1);
            assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'gateway.forwarded'", id)).isEqualTo(1);
            assertThat(Files.readString(file)).isEqualTo("written once");

            // Meaning to run it again is said in _meta: a new request, which approvers see.
            var repeated = CompletableFuture.supplyAsync(() -> McpPeers.javaClient(port, desktop(), "patient").callTool(
                    new McpSchema.CallToolRequest("fs__write_file", write(file, "written once"), Map.of("countersign/repeat", true))),
                    Executors.newVirtualThreadPerTaskExecutor());
            await("a second request for the repeat").atMost(Duration.ofSeconds(30)).until(() -> requestsFor(file) == 2);
            String second = pendingWrite(file);
            assertThat(second).isNotEqualTo(id);
            assertThat(api.vote(person("carol"), second, "DENY", "once is enough").status()).isEqualTo(200);
            assertThat(repeated.get(30, java.util.concurrent.TimeUnit.SECONDS).isError()).isTrue();

            // A call policy allows at once is a new call every time: the second read reads again, it is no replay.
            var read = new McpSchema.CallToolRequest("fs__read_text_file", Map.of("path", file.toString()));
            var firstRead = impatient.callTool(read);
            Files.writeString(file, "changed since");
            var secondRead = impatient.callTool(read);
            assertThat(firstRead.meta() == null || !firstRead.meta().containsKey("countersign/replay")).isTrue();
            assertThat(secondRead.meta() == null || !secondRead.meta().containsKey("countersign/replay")).as(McpPeers.text(secondRead)).isTrue();
            assertThat(McpPeers.text(secondRead)).contains("changed since");
        }
    }

    @Test
    void aDeniedWriteWritesNothingAndCallingAgainIsRefusedAtOnce() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("denied-" + UUID.randomUUID() + ".txt");
        try (McpSyncClient client = McpPeers.javaClient(port, desktop())) {
            var call = CompletableFuture.supplyAsync(() -> client.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "x"))),
                    Executors.newVirtualThreadPerTaskExecutor());
            String id = pendingWrite(file);
            assertThat(api.vote(person("carol"), id, "DENY", "not today").status()).isEqualTo(200);
            var denied = call.get();
            assertThat(denied.isError()).isTrue();
            assertThat(McpPeers.text(denied)).contains("denied").contains(id).contains("Nothing was run");

            var again = client.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "x")));
            assertThat(again.isError()).isTrue();
            assertThat(McpPeers.text(again)).contains("recently_denied");
        }
        assertThat(file).doesNotExist();
        assertThat(count("select count(*) from action_request where tool = 'fs.write_file' and status = 'PENDING' and body like ?",
                "%" + file.getFileName() + "%")).isZero();
    }

    @Test
    void aClientThatGivesUpWhileWaitingAndCallsAgainJoinsTheSameRequest() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("rejoined-" + UUID.randomUUID() + ".txt");
        McpSyncClient first = McpPeers.javaClient(port, desktop());
        CompletableFuture.runAsync(() -> first.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "once"))),
                Executors.newVirtualThreadPerTaskExecutor());
        String id = pendingWrite(file);
        first.close(); // disconnects mid-wait; the approval request stands

        try (McpSyncClient second = McpPeers.javaClient(port, desktop())) {
            var call = CompletableFuture.supplyAsync(() -> second.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "once"))),
                    Executors.newVirtualThreadPerTaskExecutor());
            await("the second call joined the pending request").atMost(Duration.ofSeconds(10))
                    .until(() -> count("select count(*) from audit_entry where request_id = ? and type = 'action.coalesced'", id) == 1);
            assertThat(requestsFor(file)).isEqualTo(1);
            assertThat(api.vote(person("carol"), id, "APPROVE", null).status()).isEqualTo(200);
            var result = call.get();
            assertThat(result.isError()).as(McpPeers.text(result)).isNotEqualTo(Boolean.TRUE);
        }
        assertThat(Files.readString(file)).isEqualTo("once");
        assertThat(requestsFor(file)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'gateway.forwarded'", id)).isEqualTo(1);
    }

    @Test
    void twoClientsCallingTheSameWriteAtOnceMakeOneRequestAndOneWrite() throws Exception {
        awaitUpstreams();
        Path file = FILES.resolve("raced-" + UUID.randomUUID() + ".txt");
        try (McpSyncClient a = McpPeers.javaClient(port, desktop()); McpSyncClient b = McpPeers.javaClient(port, desktop())) {
            var threads = Executors.newVirtualThreadPerTaskExecutor();
            var callA = CompletableFuture.supplyAsync(() -> a.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "raced"))), threads);
            var callB = CompletableFuture.supplyAsync(() -> b.callTool(new McpSchema.CallToolRequest("fs__write_file", write(file, "raced"))), threads);
            String id = pendingWrite(file);
            await("both calls wait on the one request").atMost(Duration.ofSeconds(10))
                    .until(() -> count("select count(*) from audit_entry where request_id = ? and type in ('action.requested', 'action.coalesced')",
                            id) == 2);
            assertThat(api.vote(person("carol"), id, "APPROVE", null).status()).isEqualTo(200);
            assertThat(List.of(callA.get(), callB.get())).allSatisfy(result -> assertThat(result.isError()).as(McpPeers.text(result)).isNotEqualTo(Boolean.TRUE));
        }
        assertThat(requestsFor(file)).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo("raced");
        String id = jdbc.sql("select id from action_request where tool = 'fs.write_file' and body like ?")
                .param("%" + file.getFileName() + "%").query(String.class).single();
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'gateway.forwarded'", id)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'grant.redeemed'", id)).isEqualTo(1);
    }

    @Test
    void anUpstreamThatDiesMidCallGivesAnErrorKeepsTheGrantUsedAndIsReconnected() throws Exception {
        awaitUpstreams();
        try (McpSyncClient client = McpPeers.javaClient(port, desktop())) {
            String why = "test-" + UUID.randomUUID();
            var died = client.callTool(new McpSchema.CallToolRequest("flaky__die", Map.of("why", why)));
            assertThat(died.isError()).isTrue();
            assertThat(McpPeers.text(died)).contains("flaky").contains("grant was used");
            String id = jdbc.sql("select id from action_request where tool = 'flaky.die' and body like ?").param("%" + why + "%")
                    .query(String.class).single();
            assertThat(count("select count(*) from grant_token where request_id = ? and redeemed_at is not null", id)).isEqualTo(1);
            assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'gateway.upstream_failed'", id)).isEqualTo(1);

            // Until it is back its tools are hidden, so a call meanwhile is an unknown tool (an exception here).
            var echoed = await("the gateway reconnects the upstream").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
                    () -> client.callTool(new McpSchema.CallToolRequest("flaky__echo", Map.of("text", "back"))),
                    result -> !Boolean.TRUE.equals(result.isError()));
            assertThat(McpPeers.text(echoed)).isEqualTo("echo: back");
        }
    }

    @Test
    void toolsListChangedUpstreamReachesAgents() throws Exception {
        awaitUpstreams();
        int n = (int) (System.nanoTime() % 100_000);
        try (McpSyncClient client = McpPeers.javaClient(port, desktop())) {
            var grew = client.callTool(new McpSchema.CallToolRequest("flaky__grow", Map.of("n", n)));
            assertThat(grew.isError()).as(McpPeers.text(grew)).isNotEqualTo(Boolean.TRUE);
            await("the new tool is listed").atMost(Duration.ofSeconds(10)).until(() ->
                    client.listTools().tools().stream().anyMatch(tool -> tool.name().equals("flaky__grown_" + n)));
        }
    }

    @Test
    void withoutATokenThe401PointsAtTheMetadataAndOtherKindsOfTokenAreRefused() throws Exception {
        var http = HttpClient.newHttpClient();
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(init));
        var anonymous = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String challenge = anonymous.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer ").contains("resource_metadata=\"http://localhost:" + port
                + "/.well-known/oauth-protected-resource/mcp\"");

        var metadata = api.get(null, "/.well-known/oauth-protected-resource/mcp");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body().get("resource").asString()).isEqualTo("http://localhost:" + port + "/mcp");
        assertThat(metadata.body().path("authorization_servers").path(0).asString("")).as(metadata.raw().body()).isNotBlank();

        for (String other : List.of(person("carol"), api.token("tool-gateway", "tool-gateway-secret"))) {
            var refused = http.send(post.copy().header("Authorization", "Bearer " + other).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
        }
        var garbage = http.send(post.copy().header("Authorization", "Bearer not-a-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(garbage.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");

        // Refused before its body arrived: the client is told the connection closes, not left to find out on its next call.
        String head = dev.countersign.testing.RawHttp.answerWithoutBody(port, "/mcp", "Bearer not-a-token");
        assertThat(head).startsWith("HTTP/1.1 401");
        assertThat(head.toLowerCase()).contains("connection: close");
    }
}
