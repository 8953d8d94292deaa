package dev.countersign.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.countersign.gateway.GatewayProperties;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One upstream connection against an in-process MCP server (the SDK's Streamable HTTP server in an embedded Jetty):
 * the tools it lists, a call forwarded with its arguments and the configured headers, a tool list that changes, and a
 * server that goes away (its tools hidden, the call refused as unavailable) and comes back on the next connect.
 */
class UpstreamTest {

    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<List<String>> toldTools = new CopyOnWriteArrayList<>();
    private Server jetty;
    private McpSyncServer server;
    private Upstream upstream;

    @AfterEach
    void stop() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
        stopServer();
    }

    @Test
    void listsTheServersToolsAndForwardsACallWithItsArgumentsAndHeaders() throws Exception {
        int port = startServer(0);
        upstream = upstream(port);

        upstream.connect();

        assertThat(upstream.state()).isEqualTo(Upstream.State.UP);
        assertThat(names(upstream.tools())).containsExactly("echo");
        assertThat(toldTools).containsExactly(List.of("echo"));
        McpSchema.CallToolResult result = upstream.call("echo", Map.of("text", "hello"));
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(((McpSchema.TextContent) result.content().getFirst()).text()).isEqualTo("echo: hello");
        assertThat(authorizations).isNotEmpty().containsOnly("Bearer upstream-secret");
    }

    @Test
    void aToolAddedUpstreamReachesTheGateway() throws Exception {
        int port = startServer(0);
        upstream = upstream(port);
        upstream.connect();

        server.addTool(tool("shout", arguments -> "SHOUT: " + arguments.get("text")));
        server.notifyToolsListChanged();

        await().atMost(Duration.ofSeconds(10)).until(() -> names(upstream.tools()).contains("shout"));
        assertThat(names(upstream.tools())).containsExactlyInAnyOrder("echo", "shout");
        assertThat(toldTools.getLast()).containsExactlyInAnyOrder("echo", "shout");
    }

    @Test
    void aServerThatGoesAwayHidesItsToolsAndIsUsedAgainWhenItIsBack() throws Exception {
        int port = startServer(0);
        upstream = upstream(port);
        upstream.connect();
        stopServer();

        assertThatThrownBy(() -> upstream.call("echo", Map.of("text", "lost")))
                .isInstanceOf(Upstream.UpstreamUnavailable.class).hasMessageContaining("'notes'");
        assertThat(upstream.state()).isEqualTo(Upstream.State.DOWN);
        assertThat(upstream.tools()).isEmpty();
        assertThat(toldTools.getLast()).as("told that its tools are gone").isEmpty();
        assertThatThrownBy(() -> upstream.call("echo", Map.of("text", "still lost")))
                .isInstanceOf(Upstream.UpstreamUnavailable.class).hasMessageContaining("is not connected");

        startServer(port);
        upstream.connect();

        assertThat(upstream.state()).isEqualTo(Upstream.State.UP);
        assertThat(names(upstream.tools())).containsExactly("echo");
        assertThat(((McpSchema.TextContent) upstream.call("echo", Map.of("text", "back")).content().getFirst()).text())
                .isEqualTo("echo: back");
    }

    @Test
    void aServerThatCannotBeReachedIsDownWithTheReasonKept() {
        upstream = new Upstream("notes", new GatewayProperties.Server(null, null, null, URI.create("http://127.0.0.1:1/mcp"), null),
                Duration.ofSeconds(2), JSON, Clock.systemUTC(), (u, tools) -> toldTools.add(names(tools)));

        upstream.connect();

        assertThat(upstream.state()).isEqualTo(Upstream.State.DOWN);
        assertThat(upstream.problem()).isNotBlank();
        assertThat(toldTools).as("it never had tools to hide").isEmpty();
    }

    private Upstream upstream(int port) {
        var settings = new GatewayProperties.Server(null, null, null, URI.create("http://127.0.0.1:" + port + "/mcp"),
                Map.of("Authorization", "Bearer upstream-secret"));
        return new Upstream("notes", settings, Duration.ofSeconds(5), JSON, Clock.systemUTC(),
                (u, tools) -> toldTools.add(names(tools)));
    }

    private int startServer(int port) throws Exception {
        var transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(JSON).mcpEndpoint("/mcp")
                .contextExtractor(request -> {
                    authorizations.add(String.valueOf(((HttpServletRequest) request).getHeader("Authorization")));
                    return io.modelcontextprotocol.common.McpTransportContext.EMPTY;
                })
                .build();
        server = McpServer.sync(transport).serverInfo("notes", "1").jsonMapper(JSON)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tool("echo", arguments -> "echo: " + arguments.get("text")))
                .build();
        jetty = new Server();
        var connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        var context = new ServletContextHandler();
        var holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/mcp");
        jetty.setHandler(context);
        jetty.start();
        return connector.getLocalPort();
    }

    private void stopServer() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
        if (jetty != null) {
            jetty.stop();
            jetty = null;
        }
    }

    private static McpServerFeatures.SyncToolSpecification tool(String name, java.util.function.Function<Map<String, Object>, String> answer) {
        var schema = new McpSchema.JsonSchema("object", Map.of("text", Map.of("type", "string")), List.of("text"), null, null, null);
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(name + " the text").inputSchema(schema).build())
                .callHandler((exchange, call) -> McpSchema.CallToolResult.builder()
                        .addTextContent(answer.apply(call.arguments())).isError(false).build())
                .build();
    }

    private static List<String> names(List<McpSchema.Tool> tools) {
        return tools.stream().map(McpSchema.Tool::name).toList();
    }
}
