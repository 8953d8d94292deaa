package dev.countersign.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stand-in for Slack's Web API on loopback: it records every call the SDK makes
 * ({@code chat.postMessage}, {@code chat.update}, {@code chat.postEphemeral}, {@code views.open},
 * {@code users.lookupByEmail}, {@code users.info}, {@code auth.test}) and answers the way Slack
 * documents, including {@code 429} with {@code Retry-After} and {@code ok:false} errors. It checks
 * the bot token on every call, as Slack does.
 */
public final class FakeSlack implements AutoCloseable {

    public static final String BOT_TOKEN = "xoxb-test-token";
    public static final String APP_TOKEN = "xapp-test-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One Web API call as the fake received it: the method and its form (or JSON) fields. */
    public record Call(String method, Map<String, String> params) {

        public String param(String name) {
            return params.get(name);
        }

        public JsonNode json(String name) {
            return params.get(name) == null ? null : JSON.readTree(params.get(name));
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> usersByEmail = new ConcurrentHashMap<>();
    private final Map<String, String> archivedChannels = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rateLimitedPosts = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_790_000_000_000_000L);
    private final SocketModeServer socketMode;

    public FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        socketMode = new SocketModeServer();
    }

    /**
     * Socket Mode's WebSocket side: {@code apps.connections.open} (with the app-level token)
     * hands out this server's URL; it greets with {@code hello}, and {@link SocketModeServer#deliver}
     * sends an {@code interactive} envelope and returns the app's acknowledgement.
     */
    public SocketModeServer socketMode() {
        return socketMode;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    /** Slack knows this person: {@code users.lookupByEmail} and {@code users.info} answer for them. */
    public FakeSlack user(String slackId, String email) {
        usersByEmail.put(email, slackId);
        return this;
    }

    /** Posting to this channel answers {@code channel_not_found}, like an archived or deleted channel. */
    public FakeSlack archived(String channel) {
        archivedChannels.put(channel, "channel_not_found");
        return this;
    }

    /** The next {@code n} {@code chat.postMessage} calls whose body contains {@code marker} answer {@code 429} with {@code Retry-After: 1}. */
    public void rateLimitNextPosts(String marker, int n) {
        rateLimitedPosts.put(marker, new AtomicInteger(n));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).toList();
    }

    public List<Call> calls(String method, Predicate<Call> filter) {
        return calls(method).stream().filter(filter).toList();
    }

    public void reset() {
        calls.clear();
        rateLimitedPosts.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = parse(exchange.getRequestHeaders().getFirst("Content-Type"), body);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (method.equals("apps.connections.open")) {
                calls.add(new Call(method, params));
                respond(exchange, 200, ("Bearer " + APP_TOKEN).equals(auth)
                        ? Map.of("ok", true, "url", socketMode.url()) : Map.of("ok", false, "error", "invalid_auth"), Map.of());
                return;
            }
            if (!("Bearer " + BOT_TOKEN).equals(auth)) {
                respond(exchange, 200, Map.of("ok", false, "error", "invalid_auth"), Map.of());
                return;
            }
            if (method.equals("chat.postMessage") && rateLimitedPosts.entrySet().stream()
                    .anyMatch(limit -> body.contains(limit.getKey()) && limit.getValue().getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
                calls.add(new Call(method + "#429", params));
                respond(exchange, 429, Map.of("ok", false, "error", "ratelimited"), Map.of("Retry-After", "1"));
                return;
            }
            calls.add(new Call(method, params));
            respond(exchange, 200, answer(method, params), Map.of());
        }
    }

    private Map<String, Object> answer(String method, Map<String, String> params) {
        return switch (method) {
            case "auth.test" -> Map.of("ok", true, "url", "https://acme.slack.com/", "team", "Acme", "user", "countersign",
                    "team_id", "T0ACME", "user_id", "UBOT");
            case "chat.postMessage" -> {
                String channel = params.get("channel");
                if (archivedChannels.containsKey(channel)) {
                    yield Map.of("ok", false, "error", archivedChannels.get(channel));
                }
                // A DM to a user id lands in the bot's IM channel with them.
                String id = channel.startsWith("U") ? "D" + channel.substring(1) : channel.startsWith("#") ? "C" + channel.substring(1).toUpperCase() : channel;
                yield Map.of("ok", true, "channel", id, "ts", nextTs(), "message", Map.of("text", params.getOrDefault("text", "")));
            }
            case "chat.update" -> Map.of("ok", true, "channel", params.get("channel"), "ts", params.get("ts"));
            case "chat.postEphemeral" -> Map.of("ok", true, "message_ts", nextTs());
            case "views.open" -> Map.of("ok", true, "view", Map.of("id", "V" + clock.incrementAndGet()));
            case "users.lookupByEmail" -> {
                String id = usersByEmail.get(params.get("email"));
                yield id == null ? Map.of("ok", false, "error", "users_not_found")
                        : Map.of("ok", true, "user", Map.of("id", id, "profile", Map.of("email", params.get("email"))));
            }
            case "users.info" -> usersByEmail.entrySet().stream().filter(e -> e.getValue().equals(params.get("user"))).findFirst()
                    .<Map<String, Object>>map(e -> Map.of("ok", true, "user", Map.of("id", e.getValue(), "profile", Map.of("email", e.getKey()))))
                    .orElse(Map.of("ok", false, "error", "user_not_found"));
            default -> Map.of("ok", false, "error", "unknown_method");
        };
    }

    private String nextTs() {
        long micros = clock.incrementAndGet();
        return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
    }

    private static Map<String, String> parse(String contentType, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (contentType != null && contentType.startsWith("application/json")) {
            JSON.readTree(body).properties().forEach(e -> params.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
            return params;
        }
        return LoopbackHttp.form(body);
    }

    private static void respond(HttpExchange exchange, int status, Map<String, Object> body, Map<String, String> headers) throws IOException {
        LoopbackHttp.send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body), headers);
    }

    @Override
    public void close() {
        server.stop(0);
        socketMode.close();
    }

    public static final class SocketModeServer extends WebSocketServer {

        private final CountDownLatch started = new CountDownLatch(1);
        private final Map<String, CompletableFuture<JsonNode>> acks = new ConcurrentHashMap<>();
        private final CountDownLatch connected = new CountDownLatch(1);

        SocketModeServer() {
            super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            setDaemon(true);
            start();
            try {
                if (!started.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the fake Socket Mode server did not start");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        String url() {
            return "ws://127.0.0.1:" + getPort() + "/link/?ticket=fake";
        }

        /** Sends an interactive envelope to the connected app and waits for its acknowledgement. */
        public JsonNode deliver(String payloadJson) throws Exception {
            if (!connected.await(15, TimeUnit.SECONDS)) {
                throw new AssertionError("no app connected over Socket Mode");
            }
            String envelopeId = UUID.randomUUID().toString();
            var ack = new CompletableFuture<JsonNode>();
            acks.put(envelopeId, ack);
            broadcast("{\"envelope_id\":\"" + envelopeId + "\",\"type\":\"interactive\",\"accepts_response_payload\":true,"
                    + "\"retry_attempt\":0,\"retry_reason\":\"\",\"payload\":" + payloadJson + "}");
            return ack.get(3, TimeUnit.SECONDS); // Slack, too, waits 3 s for the acknowledgement
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            socket.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"fake\"},"
                    + "\"connection_info\":{\"app_id\":\"A0COUNTERSIGN\"}}");
            connected.countDown();
        }

        @Override
        public void onMessage(WebSocket socket, String message) {
            JsonNode json = JSON.readTree(message);
            var ack = json.has("envelope_id") ? acks.remove(json.get("envelope_id").asString()) : null;
            if (ack != null) {
                ack.complete(json);
            }
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket socket, Exception failure) {
        }

        void close() {
            try {
                stop(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }


}
