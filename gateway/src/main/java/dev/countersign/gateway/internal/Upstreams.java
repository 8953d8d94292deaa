package dev.countersign.gateway.internal;

import dev.countersign.catalog.DiscoveredTools;
import dev.countersign.gateway.GatewayProperties;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configured upstream MCP servers: connected in the background at start-up (one that cannot
 * be reached does not hold up the others or the start), reconnected after a failure, and their
 * tools offered to agents as {@code <server>__<tool>} ({@link ListedNames}) and to the catalog as discovered
 * entries ({@code <server>.<tool>}).
 */
@Component("mcpGateway")
class Upstreams implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(Upstreams.class);
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Listed in health beside UP: a server that cannot be reached is shown, but does not take the API out of service. */
    /** {@code _meta} of a listed tool: its name in the catalog and in policy ({@code fs.write_file}). */
    static final String CATALOG_NAME = "countersign/name";
    static final Status DEGRADED = new Status("DEGRADED", "an upstream MCP server cannot be reached; its tools are hidden until it is back");

    private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
    private final McpSyncServer server;
    private final ToolRoutes routes;
    private final GatewayCalls calls;
    private final DiscoveredTools catalog;
    private final JsonMapper json;
    private final String separator;
    /** Per upstream, the gateway tool names it contributes now. */
    private final Map<String, Set<String>> offered = new ConcurrentHashMap<>();
    private volatile boolean running;

    Upstreams(GatewayProperties properties, McpSyncServer server, ToolRoutes routes, GatewayCalls calls, DiscoveredTools catalog,
              McpJsonMapper mcpJson, JsonMapper json, Clock clock, io.micrometer.core.instrument.MeterRegistry meters) {
        this.server = server;
        this.routes = routes;
        this.calls = calls;
        this.catalog = catalog;
        this.json = json;
        this.separator = properties.toolNameSeparator();
        properties.servers().forEach((name, config) -> upstreams.put(name,
                new Upstream(name, config, properties.upstreamTimeout(), mcpJson, clock, this::toolsChanged)));
        upstreams.values().forEach(upstream -> io.micrometer.core.instrument.Gauge.builder("countersign.gateway.upstream.up", upstream,
                        connected -> connected.state() == Upstream.State.UP ? 1 : 0)
                .description("1 while the upstream MCP server is connected and its tools are listed, 0 while it cannot be reached")
                .tag("upstream", upstream.name()).register(meters));
    }

    @Override
    public void start() {
        running = true;
        upstreams.values().forEach(upstream -> Thread.ofVirtual().name("mcp-upstream-" + upstream.name()).start(upstream::connect));
    }

    @Override
    public void stop() {
        running = false;
        upstreams.values().forEach(Upstream::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Tries every upstream that is down again. */
    @Scheduled(fixedDelayString = "${countersign.gateway.reconnect:5s}")
    void reconnect() {
        if (running) {
            upstreams.values().stream().filter(upstream -> upstream.state() == Upstream.State.DOWN).forEach(Upstream::connect);
        }
    }

    List<Upstream> all() {
        return List.copyOf(upstreams.values());
    }

    /** An upstream listed its tools (connected, list_changed, or gone: empty): the gateway's tools follow. */
    private synchronized void toolsChanged(Upstream upstream, List<McpSchema.Tool> tools) {
        Set<String> before = offered.getOrDefault(upstream.name(), Set.of());
        Set<String> now = new java.util.LinkedHashSet<>();
        List<DiscoveredTools.DiscoveredTool> discovered = new ArrayList<>();
        for (McpSchema.Tool tool : tools) {
            String name = ToolRoutes.catalogName(upstream.name(), tool.name());
            if (!TOOL_NAME.matcher(name).matches()) {
                log.warn("MCP upstream '{}': tool '{}' is skipped; as {} its name breaks the tool-name rule [A-Za-z0-9._-]{{1,128}}",
                        upstream.name(), tool.name(), name);
                continue;
            }
            String listedName = ListedNames.of(upstream.name(), tool.name(), separator);
            Map<String, Object> meta = new LinkedHashMap<>(tool.meta() == null ? Map.of() : tool.meta());
            meta.put(CATALOG_NAME, name);
            // The dotted name stays what people read (title) and what the catalog, policy and approvers use.
            McpSchema.Tool listed = new McpSchema.Tool(listedName, tool.title() != null ? tool.title() : name, tool.description(),
                    tool.inputSchema(), tool.outputSchema(), tool.annotations(), meta, tool.icons());
            if (!routes.put(listedName, new ToolRoutes.Route(upstream, tool.name(), name))) {
                log.warn("MCP upstream '{}': tool '{}' is skipped; it would be listed as {}, which another tool has", upstream.name(),
                        tool.name(), listedName);
                continue;
            }
            try {
                server.addTool(new McpServerFeatures.SyncToolSpecification(listed, calls::call));
            } catch (RuntimeException e) {
                routes.remove(listedName);
                log.warn("MCP upstream '{}': tool '{}' is skipped: {}", upstream.name(), tool.name(), e.getMessage());
                continue;
            }
            now.add(listedName);
            discovered.add(discoveredEntry(upstream, name, tool));
        }
        before.stream().filter(name -> !now.contains(name)).forEach(name -> {
            routes.remove(name);
            try {
                server.removeTool(name);
            } catch (RuntimeException alreadyGone) {
                // nothing to remove
            }
        });
        offered.put(upstream.name(), Set.copyOf(now));
        catalog.offer("mcp:" + upstream.name(), discovered);
    }

    /**
     * The catalog entry an upstream tool gets until an admin writes one: read-only tools are
     * {@code OTHER}; anything else may change the world ({@code destructiveHint} defaults to true in
     * MCP), so it is {@code CHANGE_INFRASTRUCTURE}. Hints come from the upstream, so policy should
     * name tools, not trust categories alone, for an upstream it does not trust.
     */
    private DiscoveredTools.DiscoveredTool discoveredEntry(Upstream upstream, String name, McpSchema.Tool tool) {
        boolean readOnly = tool.annotations() != null && Boolean.TRUE.equals(tool.annotations().readOnlyHint());
        return new DiscoveredTools.DiscoveredTool(name, readOnly ? "OTHER" : "CHANGE_INFRASTRUCTURE", "INTERNAL",
                json.valueToTree(tool.inputSchema() == null ? Map.of("type", "object") : tool.inputSchema()), "mcp:" + upstream.name(),
                tool.description());
    }

    @Override
    public Health health() {
        Map<String, Object> servers = new LinkedHashMap<>();
        boolean allUp = true;
        for (Upstream upstream : upstreams.values()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", upstream.state().name());
            detail.put("since", upstream.since().toString());
            detail.put("tools", upstream.tools().size());
            if (upstream.problem() != null) {
                detail.put("problem", upstream.problem());
            }
            servers.put(upstream.name(), detail);
            allUp &= upstream.state() == Upstream.State.UP;
        }
        return Health.status(allUp ? Status.UP : DEGRADED).withDetail("servers", servers).build();
    }
}
