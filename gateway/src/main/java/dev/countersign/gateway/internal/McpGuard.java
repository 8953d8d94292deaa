package dev.countersign.gateway.internal;

import dev.countersign.gateway.GatewayProperties;
import dev.countersign.identity.Caller;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What stands between an authenticated agent and the MCP SDK on {@code /mcp}, after the bearer
 * token was checked ({@link GatewaySecurity}):
 * <ul>
 *   <li>a foreign {@code Origin} is refused ({@code 403}: the transport spec's defence against DNS rebinding);</li>
 *   <li>a posted body must be one JSON-RPC message ({@link McpMessage}), else a JSON-RPC error with {@code 400};
 *       notifications the gateway has no use for are accepted and dropped;</li>
 *   <li>a session is its opener's: another agent's {@code Mcp-Session-Id} is answered {@code 404} ({@link McpSessions});</li>
 *   <li>whatever the SDK refuses is answered as a JSON-RPC error without its insides ({@link JsonRpcErrors.Answer}).</li>
 * </ul>
 */
class McpGuard extends OncePerRequestFilter {

    static final String SESSION_HEADER = "Mcp-Session-Id";
    /** More than any tool call the ask takes (its whole body is at most 64 KiB); read before the SDK reads it. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_INITIALIZE_BYTES = 60 * 1024;

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        /** After Spring Security's chains (order -100): the caller is known by then. */
        @Bean
        FilterRegistrationBean<McpGuard> mcpGuard(McpSessions sessions, WaitingCalls waiting, GatewayProperties properties, JsonMapper json,
                                                  io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider sdk,
                                                  McpTasks tasks) {
            var registration = new FilterRegistrationBean<>(new McpGuard(sessions, waiting, new SessionAdoption(sdk, json), tasks,
                    properties.allowedOrigins(), json));
            registration.addUrlPatterns(McpEndpoint.PATH);
            registration.setOrder(0);
            registration.setAsyncSupported(true);
            return registration;
        }
    }

    /** Where a {@code tools/call}'s stop ({@link WaitingCalls}) travels to the transport context, and so to the call. */
    static final String STOP_ATTRIBUTE = "countersign.mcp.stop";
    /** The session's id as the client knows it (the SDK on this instance may know it by another). */
    static final String SESSION_ATTRIBUTE = "countersign.mcp.session";

    private final McpSessions sessions;
    private final WaitingCalls waiting;
    private final SessionAdoption adoption;
    private final McpTasks tasks;
    private final List<String> allowedOrigins;
    private final JsonMapper json;

    McpGuard(McpSessions sessions, WaitingCalls waiting, SessionAdoption adoption, McpTasks tasks, List<String> allowedOrigins,
             JsonMapper json) {
        this.sessions = sessions;
        this.tasks = tasks;
        this.waiting = waiting;
        this.adoption = adoption;
        this.allowedOrigins = allowedOrigins;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        if (origin != null && !allowedOrigins.contains(origin) && !bothLoopback(origin, request)) {
            JsonRpcErrors.write(response, json, 403, JsonRpcErrors.INVALID_REQUEST, "Requests from the web page at " + origin
                    + " may not use this MCP gateway; an admin can allow that origin (countersign.gateway.allowed-origins)", null);
            return;
        }
        if (!(request.getAttribute(GatewaySecurity.CALLER_ATTRIBUTE) instanceof Caller.Agent agent)) {
            chain.doFilter(request, response); // GatewaySecurity lets only agents through; nothing else reaches here
            return;
        }
        McpMessage message = null;
        byte[] posted = null;
        if ("POST".equals(request.getMethod())) {
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                JsonRpcErrors.write(response, json, 413, JsonRpcErrors.INVALID_REQUEST, "A message is at most 1 MiB", null);
                return;
            }
            try {
                message = McpMessage.read(body, json);
            } catch (McpMessage.Refused refused) {
                JsonRpcErrors.write(response, json, refused.status, refused.code, refused.getMessage(), null);
                return;
            }
            if ("initialize".equals(message.method()) && body.length > MAX_INITIALIZE_BYTES) {
                // Kept for every instance to open the session from (gateway_session): a client's name and capabilities fit.
                JsonRpcErrors.write(response, json, 413, JsonRpcErrors.INVALID_REQUEST, "An initialize message is at most 64 KiB",
                        message.id());
                return;
            }
            if (message.isIgnored()) {
                response.setStatus(HttpServletResponse.SC_ACCEPTED);
                return;
            }
            posted = body;
            request = new PostedBody(request, body); // read once here, offered again to the SDK
        }
        String sessionId = request.getHeader(SESSION_HEADER);
        if (sessionId != null) {
            // Served here already, or opened on another instance (then opened here too, from its stored initialize).
            HttpServletRequest current = request;
            Optional<String> sdkId = sessions.enter(sessionId, agent.id()).or(() -> sessions.stored(sessionId, agent.id())
                    .flatMap(stored -> adoption.adopt(current, response, stored.initialize())
                            .map(adopted -> sessions.adopted(sessionId, agent.id(), adopted, stored.initialize()))));
            if (sdkId.isEmpty()) {
                // Not this agent's, or not open: the same answer either way, so another's session cannot even be told to exist.
                JsonRpcErrors.write(response, json, 404, JsonRpcErrors.INVALID_REQUEST, "Session not found: it ended, expired or was "
                        + "never opened with this token; initialize a new session", idOf(message));
                return;
            }
            request.setAttribute(SESSION_ATTRIBUTE, sessionId);
            if (!sdkId.get().equals(sessionId)) {
                request = new InSession(request, sdkId.get());
            }
        }
        byte[] initialize = message != null && "initialize".equals(message.method()) ? posted : null;
        var answer = new JsonRpcErrors.Answer(response, sessionId != null || initialize == null ? opened -> { }
                : opened -> sessions.opened(opened, agent.id(), initialize));
        if (message != null && message.cancels() != null) {
            // The client gave up on a call: its wait stops now (the approval request stays for the humans). The SDK has no
            // use for it.
            waiting.cancel(new WaitingCalls.Key(agent.id(), String.valueOf(sessionId), McpMessage.key(message.cancels())));
            if (sessionId != null) {
                sessions.released(sessionId);
            }
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        WaitingCalls.Key call = message != null && message.kind() == McpMessage.Kind.REQUEST
                && ("tools/call".equals(message.method()) || "tasks/result".equals(message.method()))
                ? new WaitingCalls.Key(agent.id(), String.valueOf(sessionId), McpMessage.key(message.id())) : null;
        var stop = call == null ? null : waiting.begin(call);
        if (stop != null) {
            request.setAttribute(STOP_ATTRIBUTE, stop);
            request = new StoppedOnDisconnect(request, stop, () -> waiting.end(call, stop));
        }
        boolean released = false;
        try {
            if (message != null && McpTasks.handles(message)) {
                // Tasks: Countersign answers, since the SDK does not carry them.
                answerTask(agent, sessionId, message, stop, response);
                return;
            }
            HttpServletResponse toSdk = answer;
            if (message != null && "initialize".equals(message.method())) {
                toSdk = TasksAdvertised.inInitialize(answer, json);
            } else if (message != null && "tools/list".equals(message.method())) {
                toSdk = TasksAdvertised.inToolsList(answer, json);
            }
            chain.doFilter(request, toSdk);
            if (sessionId != null && request.isAsyncStarted()) {
                // A streamed answer (SSE) keeps the session open until its stream ends.
                var once = new AtomicBoolean();
                request.getAsyncContext().addListener(new Release(() -> {
                    if (once.compareAndSet(false, true)) {
                        sessions.released(sessionId);
                    }
                }));
                released = true;
            }
        } finally {
            if (sessionId != null && !released) {
                sessions.released(sessionId);
            }
            if (stop != null && !request.isAsyncStarted()) {
                waiting.end(call, stop);
            }
        }
        if (sessionId != null && ("DELETE".equals(request.getMethod()) && answer.failure() == 0 || answer.failure() == 404)) {
            sessions.ended(sessionId);
        }
        if (answer.failure() != 0) {
            refuseAsJsonRpc(response, answer, message);
        }
    }

    @SuppressWarnings("unchecked")
    private void answerTask(Caller.Agent agent, String sessionId, McpMessage message,
                            java.util.concurrent.CompletableFuture<?> stop, HttpServletResponse response) throws IOException {
        var client = sessionId == null ? Optional.<io.modelcontextprotocol.spec.McpSchema.Implementation>empty() : sessions.client(sessionId, json);
        // Converted only here: an ordinary call's params go to the SDK untouched.
        Map<String, Object> params = message.params() == null ? null : json.convertValue(message.params(), Map.class);
        try {
            JsonRpcErrors.writeResult(response, json, message.id(), tasks.answer(agent, sessionId, client.orElse(null), message.method(), params,
                    stop == null ? new java.util.concurrent.CompletableFuture<>() : stop));
        } catch (McpTasks.Refused refused) {
            JsonRpcErrors.write(response, json, 200, refused.code, refused.getMessage(), message.id());
        } catch (RuntimeException failed) {
            // The database away, or a fault of ours: a JSON-RPC error the client can act on, never the container's error page.
            logger.warn("MCP " + message.method() + " failed", failed);
            if (!response.isCommitted()) {
                response.resetBuffer();
                JsonRpcErrors.write(response, json, 500, JsonRpcErrors.INTERNAL_ERROR, "Countersign could not answer " + message.method()
                        + " now; nothing was run. Try again, and tell an admin if it keeps failing", message.id());
            }
        }
    }

    /**
     * A page served from this machine calling the gateway on this machine by a loopback name (a local inspector): not DNS
     * rebinding, in which the page's origin and the Host the browser sends are both the attacker's domain name.
     */
    private static boolean bothLoopback(String origin, HttpServletRequest request) {
        try {
            return LOOPBACK.contains(java.net.URI.create(origin).getHost()) && LOOPBACK.contains(request.getServerName());
        } catch (IllegalArgumentException notAnOrigin) {
            return false;
        }
    }

    private static final java.util.Set<String> LOOPBACK = java.util.Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /** The SDK refused: the same status (a client's response it has no request for is the client's mistake), our words. */
    private void refuseAsJsonRpc(HttpServletResponse response, JsonRpcErrors.Answer answer, McpMessage message) throws IOException {
        int status = answer.failure();
        String text;
        if (status >= 500 && message != null && message.kind() == McpMessage.Kind.RESPONSE) {
            status = 400;
            text = "No request of this server is waiting for a response with this id";
        } else if (status == 404) {
            text = "Session not found: it ended, expired or was never opened with this token; initialize a new session";
        } else if (status == 400 || status == 406) {
            String said = answer.failureMessage();
            text = "MCP over Streamable HTTP needs an Accept header with application/json and text/event-stream, and a session id "
                    + "(Mcp-Session-Id) on every request after initialize" + (said != null && said.length() < 200 && !said.contains("Exception")
                    ? " (" + said + ")" : "");
        } else if (status >= 500) {
            text = "Countersign could not handle this message; nothing was run. Try again, and tell an admin if it keeps failing";
        } else {
            text = "This MCP request was refused (HTTP " + status + ")";
        }
        if (!response.isCommitted()) {
            response.resetBuffer();
            JsonRpcErrors.write(response, json, status, status >= 500 ? JsonRpcErrors.INTERNAL_ERROR : JsonRpcErrors.INVALID_REQUEST, text,
                    idOf(message));
        }
    }

    private static JsonNode idOf(McpMessage message) {
        return message == null ? null : message.id();
    }

    /** The client's request in the session as the SDK knows it on this instance (a session the client opened elsewhere). */
    private static final class InSession extends HttpServletRequestWrapper {
        private final String sdkId;

        InSession(HttpServletRequest request, String sdkId) {
            super(request);
            this.sdkId = sdkId;
        }

        @Override
        public String getHeader(String name) {
            return SESSION_HEADER.equalsIgnoreCase(name) ? sdkId : super.getHeader(name);
        }

        @Override
        public java.util.Enumeration<String> getHeaders(String name) {
            return SESSION_HEADER.equalsIgnoreCase(name) ? java.util.Collections.enumeration(List.of(sdkId)) : super.getHeaders(name);
        }
    }

    /**
     * A {@code tools/call} whose answer streams: when the container reports the connection failed (the client went away),
     * the call's wait stops; when the stream ends, the call is over.
     */
    private static final class StoppedOnDisconnect extends HttpServletRequestWrapper {
        private final java.util.concurrent.CompletableFuture<WaitingCalls.Stop> stop;
        private final Runnable ended;

        StoppedOnDisconnect(HttpServletRequest request, java.util.concurrent.CompletableFuture<WaitingCalls.Stop> stop, Runnable ended) {
            super(request);
            this.stop = stop;
            this.ended = ended;
        }

        @Override
        public jakarta.servlet.AsyncContext startAsync() {
            return watched(super.startAsync());
        }

        @Override
        public jakarta.servlet.AsyncContext startAsync(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
            return watched(super.startAsync(request, response));
        }

        private jakarta.servlet.AsyncContext watched(jakarta.servlet.AsyncContext async) {
            async.addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    ended.run();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    stop.complete(WaitingCalls.Stop.DISCONNECTED);
                }

                @Override
                public void onError(AsyncEvent event) {
                    stop.complete(WaitingCalls.Stop.DISCONNECTED);
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
            return async;
        }
    }

    private record Release(Runnable release) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onError(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
