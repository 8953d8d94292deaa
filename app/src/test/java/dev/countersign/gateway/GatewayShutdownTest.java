package dev.countersign.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.testing.SideApplications;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Instances stop and come back while people decide. Stopping an instance never waits on a {@code tools/call} that waits for a person: the call is
 * answered at once (the approval request stays pending, and is carried out even if nobody waits),
 * instead of holding the web server's graceful shutdown for as long as the humans take; and an
 * approval given while no instance can run the call is run once by the one that comes back.
 */
class GatewayShutdownTest {

    /** An instance on this in-memory database (shared by the instances of one test), with the filesystem upstream or without any. */
    private static ConfigurableApplicationContext instance(String database, Path files) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
                "--countersign.gateway.pickup-every=1s"));
        if (files != null) {
            args.addAll(List.of("--countersign.gateway.servers.fs.command=node", "--countersign.gateway.servers.fs.args[0]="
                    + McpPeers.FILESYSTEM_SERVER, "--countersign.gateway.servers.fs.args[1]=" + files));
        }
        return SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class).profiles("test"), args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    private static String connected(ConfigurableApplicationContext app) {
        String agent = new Api(port(app)).token("desktop-agent", "desktop-agent-secret");
        await("the filesystem server is connected").atMost(Duration.ofSeconds(60)).until(() ->
                McpPeers.tsClient(port(app), agent, "list").answer().toString().contains("fs__write_file"));
        return agent;
    }

    private static boolean pending(JdbcClient jdbc) {
        return jdbc.sql("select count(*) from action_request where tool = 'fs.write_file' and status = 'PENDING'").query(Long.class).single() == 1;
    }

    @Test
    void anApprovalGivenWhereNoneCanRunItIsRunOnceByTheInstanceThatComesBack() throws Exception {
        McpPeers.requireInstalled();
        Path files = Files.createTempDirectory("countersign-mcp-restart").toRealPath();
        String database = "gateway-restart-" + UUID.randomUUID();
        Path file = files.resolve("after-restart-" + UUID.randomUUID() + ".txt");
        String arguments = JsonMapper.shared().writeValueAsString(Map.of("path", file.toString(), "content", "run after the restart"));

        var gateway = instance(database, files);
        var call = McpPeers.tsClient(port(gateway), connected(gateway), "call", "fs__write_file", arguments);
        JdbcClient first = gateway.getBean(JdbcClient.class);
        await("the call waits for approval").atMost(Duration.ofSeconds(30)).until(() -> pending(first));
        String id = first.sql("select id from action_request where tool = 'fs.write_file'").query(String.class).single();
        gateway.close();
        assertThat(call.answer().toString()).contains("this Countersign instance is stopping");

        // Carol approves on an instance that serves the API but no MCP server: it cannot run the call, so it does not.
        var api = instance(database, null);
        Api onApi = new Api(port(api));
        assertThat(onApi.vote(onApi.token("carol", "carol"), id, "APPROVE", "fine").status()).isEqualTo(200);
        JdbcClient jdbc = api.getBean(JdbcClient.class);
        await("nothing runs where the tool is not served").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> !Files.exists(file));
        api.close();

        // The gateway instance comes back: its pickup runs the approved call once, with nobody waiting, and keeps the outcome.
        var back = instance(database, files);
        String agent = connected(back);
        JdbcClient again = back.getBean(JdbcClient.class);
        await("the approval is carried out after the restart").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file)
                && again.sql("select count(*) from gateway_outcome where request_id = ?").param(id).query(Long.class).single() == 1);
        assertThat(Files.readString(file)).isEqualTo("run after the restart");
        JsonNode replayed = McpPeers.tsClient(port(back), agent, "call", "fs__write_file", arguments).answer();
        assertThat(replayed.at("/result/_meta/countersign~1replay/requestId").asString()).as(replayed.toString()).isEqualTo(id);
        assertThat(again.sql("select count(*) from audit_entry where request_id = ? and type = 'gateway.forwarded'").param(id)
                .query(Long.class).single()).isEqualTo(1);
        back.close();
    }

    @Test
    void aCallWaitingForApprovalIsAnsweredAtOnceWhenTheInstanceStops() throws Exception {
        McpPeers.requireInstalled();
        Path files = Files.createTempDirectory("countersign-mcp-shutdown").toRealPath();
        var app = instance("gateway-shutdown-" + UUID.randomUUID(), files);
        int port = port(app);
        String agent = connected(app);
        JdbcClient jdbc = app.getBean(JdbcClient.class);

        Path file = files.resolve("never-" + UUID.randomUUID() + ".txt");
        var call = McpPeers.tsClient(port, agent, "call", "fs__write_file",
                JsonMapper.shared().writeValueAsString(Map.of("path", file.toString(), "content", "x")));
        await("the call waits for approval").atMost(Duration.ofSeconds(30)).until(() -> pending(jdbc));

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
