package dev.countersign.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.testing.SideApplications;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stopping an instance never waits on a {@code tools/call} that waits for a person: the call is
 * answered at once (the approval request stays pending, and is carried out even if nobody waits),
 * instead of holding the web server's graceful shutdown for as long as the humans take.
 */
class GatewayShutdownTest {

    @Test
    void aCallWaitingForApprovalIsAnsweredAtOnceWhenTheInstanceStops() throws Exception {
        McpPeers.requireInstalled();
        Path files = Files.createTempDirectory("countersign-mcp-shutdown").toRealPath();
        var app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class).profiles("test"),
                "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:gateway-shutdown-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--countersign.gateway.servers.fs.command=node", "--countersign.gateway.servers.fs.args[0]=" + McpPeers.FILESYSTEM_SERVER,
                "--countersign.gateway.servers.fs.args[1]=" + files);
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        String agent = new Api(port).token("desktop-agent", "desktop-agent-secret");
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        await("the filesystem server is connected").atMost(Duration.ofSeconds(60)).until(() ->
                McpPeers.tsClient(port, agent, "list").answer().toString().contains("fs__write_file"));

        Path file = files.resolve("never-" + UUID.randomUUID() + ".txt");
        var call = McpPeers.tsClient(port, agent, "call", "fs__write_file",
                JsonMapper.shared().writeValueAsString(Map.of("path", file.toString(), "content", "x")));
        await("the call waits for approval").atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from action_request where tool = 'fs.write_file' and status = 'PENDING'").query(Long.class).single() == 1);

        long closing = System.nanoTime();
        var closed = CompletableFuture.runAsync(app::close);
        JsonNode answer = call.answer();
        Duration answeredAfter = Duration.ofNanos(System.nanoTime() - closing);
        closed.get(60, TimeUnit.SECONDS);
        Duration closedAfter = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(answer.path("result").path("isError").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.at("/result/content/0/text").asString()).contains("this Countersign instance is stopping")
                .contains("Call the tool again with exactly the same arguments");
        assertThat(Files.exists(file)).isFalse();
        // Not the graceful shutdown's 30 s, nor the approval's 30 minutes.
        assertThat(answeredAfter).isLessThan(Duration.ofSeconds(10));
        assertThat(closedAfter).isLessThan(Duration.ofSeconds(25));
    }
}
