package dev.countersign.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.testing.AppProcess;
import dev.countersign.testing.Await;
import dev.countersign.testing.RoundRobinProxy;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances of the packaged application on one PostgreSQL behind a load balancer with no
 * stickiness at all ({@link RoundRobinProxy}: each HTTP request to the next instance). MCP clients
 * nobody here wrote keep one session across both: listing, an allowed call, a call that waits and
 * is approved, its retry, a cancellation, and a task polled on both behave as on one instance.
 */
class GatewayWithoutStickySessionsIT {

    @Test
    void mcpClientsWorkThroughARoundRobinProxyAsOnOneInstance() throws Exception {
        McpPeers.requireInstalled();
        Path files = Files.createTempDirectory("countersign-mcp-round-robin").toRealPath();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start()) {
            try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
                admin.createStatement().execute("create database countersign");
            }
            String url = postgres.getJdbcUrl("postgres", "countersign");
            String[] gateway = {"--countersign.gateway.servers.fs.command=node",
                    "--countersign.gateway.servers.fs.args[0]=" + McpPeers.FILESYSTEM_SERVER,
                    "--countersign.gateway.servers.fs.args[1]=" + files, "--countersign.gateway.pickup-every=1s"};
            try (var a = AppProcess.start("round-robin-a", url, gateway); var b = AppProcess.start("round-robin-b", url, gateway);
                 var proxy = new RoundRobinProxy(List.of(a.port(), b.port()))) {
                int port = proxy.port();
                Api api = new Api(a.port());
                String agent = api.token("desktop-agent", "desktop-agent-secret");
                String carol = api.token("carol", "carol");
                for (int instance : List.of(a.port(), b.port())) {
                    Await.until(() -> "the filesystem server connected on " + instance, Duration.ofSeconds(60), () ->
                            listed(instance, agent).contains("fs__write_file"));
                }

                // The TypeScript SDK's client: initialize lands on one instance, everything after it alternates.
                JsonNode listed = McpPeers.tsClient(port, agent, "list").answer();
                assertThat(listed.toString()).contains("fs__write_file", "fs__read_text_file");
                Files.writeString(files.resolve("hello.txt"), "hello through two instances");
                JsonNode read = McpPeers.tsClient(port, agent, "call", "fs__read_text_file",
                        "{\"path\":\"" + files.resolve("hello.txt") + "\"}").answer();
                assertThat(read.at("/result/content/0/text").asString()).as(read.toString()).isEqualTo("hello through two instances");

                // A call that waits for carol, who approves on instance A; the waiting call may sit on either.
                Path file = files.resolve("approved-" + UUID.randomUUID() + ".txt");
                String arguments = JsonMapper.shared().writeValueAsString(Map.of("path", file.toString(), "content", "once"));
                var waiting = McpPeers.tsClient(port, agent, "call", "fs__write_file", arguments);
                String id = Await.value(() -> "a pending request", Duration.ofSeconds(30), () -> pendingId(api, carol));
                Await.holds("nothing written before the approval", Duration.ofSeconds(1), () -> !Files.exists(file));
                assertThat(api.vote(carol, id, "APPROVE", "fine").status()).isEqualTo(200);
                JsonNode written = waiting.answer();
                assertThat(written.path("result").path("isError").asBoolean(false)).as(written.toString()).isFalse();
                assertThat(written.get("progress").size()).as("progress reached the client across instances").isPositive();
                assertThat(Files.readString(file)).isEqualTo("once");

                // The retry: the one run's outcome, from whichever instance answers, and no second request.
                for (int retry = 0; retry < 2; retry++) {
                    JsonNode again = McpPeers.tsClient(port, agent, "call", "fs__write_file", arguments).answer();
                    assertThat(again.at("/result/_meta/countersign~1replay/requestId").asString()).as(again.toString()).isEqualTo(id);
                }
                assertThat(api.get(carol, "/api/v1/approvals").body().get("items").size()).as("no second request to approve").isZero();

                // A client that times out and cancels: its notifications/cancelled may reach the other instance than the one
                // where the call waits; the wait stops all the same, and carol's approval is carried out with nobody waiting.
                Path cancelled = files.resolve("cancelled-" + UUID.randomUUID() + ".txt");
                String cancelledArguments = JsonMapper.shared().writeValueAsString(Map.of("path", cancelled.toString(), "content", "later"));
                JsonNode gaveUp = McpPeers.tsClient(port, agent, Duration.ofSeconds(3), "call", "fs__write_file", cancelledArguments).answer();
                assertThat(gaveUp.path("error").asString()).as(gaveUp.toString()).containsIgnoringCase("timed out");
                String second = Await.value(() -> "the second pending request", Duration.ofSeconds(10), () -> pendingId(api, carol));
                Await.until(() -> "the wait stopped on whichever instance it was", Duration.ofSeconds(10), () ->
                        auditCount(postgres, second, "gateway.wait_stopped") == 1);
                assertThat(api.vote(carol, second, "APPROVE", "fine").status()).isEqualTo(200);
                Await.until(() -> "the approval carried out with nobody waiting", Duration.ofSeconds(30), () -> Files.exists(cancelled));
                Await.holds("run once", Duration.ofSeconds(2), () -> auditCount(postgres, second, "gateway.forwarded") == 1);

                // A task: opened on one instance, polled on both (each process's requests alternate), approved, its result read.
                Path tasked = files.resolve("task-" + UUID.randomUUID() + ".txt");
                JsonNode created = McpPeers.tasksClient(port, agent, "create", "fs__write_file",
                        JsonMapper.shared().writeValueAsString(Map.of("path", tasked.toString(), "content", "as a task"))).answer();
                String taskId = created.at("/task/taskId").asString();
                String third = Await.value(() -> "the task's pending request", Duration.ofSeconds(10), () -> pendingId(api, carol));
                for (int poll = 0; poll < 3; poll++) {
                    JsonNode polled = McpPeers.tasksClient(port, agent, "get", taskId).answer();
                    assertThat(polled.path("status").asString()).as(polled.toString()).isEqualTo("working");
                }
                assertThat(api.vote(carol, third, "APPROVE", "fine").status()).isEqualTo(200);
                JsonNode taskResult = McpPeers.tasksClient(port, agent, "result", taskId).answer();
                assertThat(taskResult.path("isError").asBoolean(false)).as(taskResult.toString()).isFalse();
                assertThat(Files.readString(tasked)).isEqualTo("as a task");

                // The Java SDK's client on the same proxy.
                try (McpSyncClient client = McpPeers.javaClient(port, agent)) {
                    for (int call = 0; call < 4; call++) {
                        var result = client.callTool(new McpSchema.CallToolRequest("fs__read_text_file",
                                Map.of("path", files.resolve("hello.txt").toString())));
                        assertThat(McpPeers.text(result)).isEqualTo("hello through two instances");
                    }
                }
                assertThat(proxy.served()).as("requests per instance").allMatch(count -> count >= 5);
            }
        }
    }

    private static long auditCount(EmbeddedPostgres postgres, String requestId, String type) {
        try (Connection connection = postgres.getDatabase("postgres", "countersign").getConnection();
             var statement = connection.prepareStatement("select count(*) from audit_entry where request_id = ? and type = ?")) {
            statement.setString(1, requestId);
            statement.setString(2, type);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String listed(int port, String agent) {
        try {
            return McpPeers.tsClient(port, agent, "list").answer().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String pendingId(Api api, String carol) {
        var items = api.get(carol, "/api/v1/approvals").body().get("items");
        return items.size() == 1 ? items.get(0).get("id").asString() : null;
    }
}
