package dev.countersign.gateway.internal;

import dev.countersign.gateway.GatewayProperties;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream MCP server: its connection, its tools as it last listed them, and whether it is
 * reachable. A failure closes the connection; {@link Upstreams} connects again after a while.
 */
final class Upstream {

    private static final Logger log = LoggerFactory.getLogger(Upstream.class);

    enum State { CONNECTING, UP, DOWN }

    private final String name;
    private final GatewayProperties.Server server;
    private final Duration timeout;
    private final McpJsonMapper json;
    private final Clock clock;
    /** Told the tools whenever they change: at connect, on tools/list_changed, and (empty) when the server goes away. */
    private final BiConsumer<Upstream, List<McpSchema.Tool>> toolsChanged;

    private volatile McpSyncClient client;
    private volatile State state = State.CONNECTING;
    private volatile String problem;
    private volatile Instant since;
    private volatile List<McpSchema.Tool> tools = List.of();

    Upstream(String name, GatewayProperties.Server server, Duration timeout, McpJsonMapper json, Clock clock,
             BiConsumer<Upstream, List<McpSchema.Tool>> toolsChanged) {
        this.name = name;
        this.server = server;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.toolsChanged = toolsChanged;
        this.since = clock.instant();
    }

    String name() {
        return name;
    }

    State state() {
        return state;
    }

    String problem() {
        return problem;
    }

    Instant since() {
        return since;
    }

    List<McpSchema.Tool> tools() {
        return tools;
    }

    String describe() {
        return server.isStdio() ? "stdio: " + server.command() + " " + String.join(" ", server.args()) : server.url().toString();
    }

    /** Connects and lists the tools; on failure the upstream is DOWN and the reason kept for health and the log. */
    synchronized void connect() {
        if (state == State.UP) {
            return;
        }
        McpSyncClient connecting = null;
        try {
            McpClientTransport transport = transport();
            connecting = McpClient.sync(transport)
                    .clientInfo(new McpSchema.Implementation("countersign-gateway", "1"))
                    .requestTimeout(timeout)
                    .initializationTimeout(timeout)
                    .toolsChangeConsumer(changed -> listed(changed))
                    .build();
            connecting.initialize();
            List<McpSchema.Tool> listed = listAll(connecting);
            client = connecting;
            state = State.UP;
            problem = null;
            since = clock.instant();
            log.info("MCP upstream '{}' connected ({}): {} tools", name, describe(), listed.size());
            listed(listed);
            if (transport instanceof StdioClientTransport stdio) {
                // A process that dies leaves calls in flight waiting for their timeout; its exit ends them at once.
                McpSyncClient watched = connecting;
                Thread.ofVirtual().name("mcp-upstream-" + name + "-exit").start(() -> {
                    stdio.awaitForExit();
                    down(watched, new IllegalStateException("the server process exited"));
                });
            }
        } catch (RuntimeException e) {
            closeQuietly(connecting);
            down(null, e);
        }
    }

    private void listed(List<McpSchema.Tool> listed) {
        tools = List.copyOf(listed);
        toolsChanged.accept(this, tools);
    }

    /** Forwards a call. A transport failure (the server died, timed out) marks the upstream DOWN before it is rethrown. */
    McpSchema.CallToolResult call(String tool, java.util.Map<String, Object> arguments) {
        McpSyncClient current = client;
        if (current == null || state != State.UP) {
            throw new UpstreamUnavailable("MCP server '" + name + "' is not connected" + (problem == null ? "" : " (" + problem + ")"));
        }
        try {
            return current.callTool(new McpSchema.CallToolRequest(tool, arguments));
        } catch (io.modelcontextprotocol.spec.McpError protocolError) {
            // The server answered with a JSON-RPC error: it is alive; the error is its answer.
            throw protocolError;
        } catch (RuntimeException e) {
            down(current, e);
            throw new UpstreamUnavailable("MCP server '" + name + "' failed during the call: " + message(e));
        }
    }

    /** {@code failed}: the connection that failed, or null for one that never came up. A connection already replaced changes nothing. */
    private synchronized void down(McpSyncClient failed, RuntimeException cause) {
        if (failed != client || (failed == null && state == State.UP)) {
            return;
        }
        boolean wasUp = state == State.UP;
        closeQuietly(client);
        client = null;
        state = State.DOWN;
        problem = message(cause);
        since = clock.instant();
        if (wasUp || !tools.isEmpty()) {
            log.warn("MCP upstream '{}' ({}) is down: {}; its tools are hidden until it is back", name, describe(), problem);
            listed(List.of());
        } else {
            log.warn("MCP upstream '{}' ({}) cannot be reached: {}; retrying", name, describe(), problem);
        }
    }

    void close() {
        closeQuietly(client);
        client = null;
    }

    private McpClientTransport transport() {
        if (server.isStdio()) {
            var parameters = ServerParameters.builder(server.command()).args(server.args()).env(server.env()).build();
            var stdio = new StdioClientTransport(parameters, json);
            stdio.setStdErrorHandler(line -> log.debug("MCP upstream '{}' stderr: {}", name, line));
            return stdio;
        }
        String url = server.url().toString();
        String base = server.url().resolve("/").toString();
        String endpoint = url.substring(base.length() - 1);
        return HttpClientStreamableHttpTransport.builder(base)
                .endpoint(endpoint.isEmpty() ? "/" : endpoint)
                .jsonMapper(json)
                .connectTimeout(timeout)
                .httpRequestCustomizer((builder, method, uri, body, context) -> server.headers().forEach(builder::header))
                .build();
    }

    private static List<McpSchema.Tool> listAll(McpSyncClient client) {
        List<McpSchema.Tool> all = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
            all.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        return all;
    }

    private static void closeQuietly(McpSyncClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** The upstream cannot take the call: it is not connected, or it went away during it. */
    static final class UpstreamUnavailable extends RuntimeException {
        UpstreamUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
