package dev.countersign.gateway.internal;

import dev.countersign.gateway.GatewayProperties;
import dev.countersign.identity.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The downstream side: {@code /mcp}, Streamable HTTP through the MCP Java SDK. Each HTTP request
 * carries its bearer token (checked by {@link GatewaySecurity}); the caller it names travels
 * with the request to the tool filter (an agent sees only its own tools) and to the call.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class McpEndpoint {

    static final String PATH = "/mcp";

    @Bean
    McpJsonMapper mcpJson() {
        return McpJsonDefaults.getMapper();
    }

    /** Closed with the context: its sessions end and its keep-alive and session sweeper stop. */
    @Bean(destroyMethod = "destroy")
    HttpServletStreamableServerTransportProvider mcpTransport(McpJsonMapper json, GatewayProperties properties) {
        return HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json)
                .mcpEndpoint(PATH)
                .keepAliveInterval(Duration.ofSeconds(25))
                // Most clients vanish without DELETE: a session with no request and no open stream for one to two of
                // these is closed (McpSessions forgets its owner after two).
                .sessionSweepInterval(properties.sessionIdleTimeout())
                .contextExtractor(request -> {
                    if (!(request.getAttribute(GatewaySecurity.CALLER_ATTRIBUTE) instanceof Caller caller)) {
                        return McpTransportContext.EMPTY;
                    }
                    Map<String, Object> context = new java.util.HashMap<>();
                    context.put(GatewayCalls.CALLER, caller);
                    if (request.getAttribute(McpGuard.STOP_ATTRIBUTE) instanceof Object stop) {
                        context.put(GatewayCalls.STOP, stop);
                    }
                    if (request.getAttribute(McpGuard.SESSION_ATTRIBUTE) instanceof String session) {
                        context.put(GatewayCalls.SESSION, session);
                    }
                    return McpTransportContext.create(context);
                })
                .build();
    }

    /**
     * At shutdown, after the waiting calls were answered ({@link WaitingCalls}): the sessions end and their open streams
     * (a client's {@code GET} stream stays open as long as the client lives) are closed, so that the web server's graceful
     * shutdown does not wait on them.
     */
    @Bean
    org.springframework.context.ApplicationListener<org.springframework.context.event.ContextClosedEvent> mcpStreamsClosing(
            HttpServletStreamableServerTransportProvider transport) {
        return new StreamsClosing(transport);
    }

    @Order(10)
    private record StreamsClosing(HttpServletStreamableServerTransportProvider transport)
            implements org.springframework.context.ApplicationListener<org.springframework.context.event.ContextClosedEvent> {
        @Override
        public void onApplicationEvent(org.springframework.context.event.ContextClosedEvent event) {
            try {
                transport.closeGracefully().block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                // Closing what is already gone: the web server's shutdown ends the rest.
            }
        }
    }

    @Bean
    ServletRegistrationBean<HttpServletStreamableServerTransportProvider> mcpServlet(HttpServletStreamableServerTransportProvider transport) {
        var registration = new ServletRegistrationBean<>(transport, PATH);
        registration.setAsyncSupported(true);
        registration.setName("mcp-gateway");
        return registration;
    }

    @Bean(destroyMethod = "close")
    McpSyncServer mcpServer(HttpServletStreamableServerTransportProvider transport, McpJsonMapper json, ToolRoutes routes) {
        return McpServer.sync(transport)
                .serverInfo("countersign", "1")
                .instructions("Every tool call here is checked by Countersign before it runs: some run at once, some wait for a "
                        + "person to approve them (the call stays open and reports progress), and some are refused. A refused call "
                        + "did not run; calling it again will not change the answer.")
                .jsonMapper(json)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                // Calls wait for humans: they run on the request's own (virtual) thread, not on a small shared pool.
                .immediateExecution(true)
                // The catalog validates arguments (and answers with pointers); names are checked where tools are added.
                .validateToolInputs(false)
                .strictToolNameValidation(false)
                .addToolFilter((context, tool) -> context.get(GatewayCalls.CALLER) instanceof Caller.Agent agent
                        && agent.enabled() && routes.route(tool.name()).map(route -> agent.mayUse(route.catalogName())).orElse(false))
                .build();
    }
}
