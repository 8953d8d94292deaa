package dev.countersign.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for Countersign's HTTP API on loopback that answers from a script, in order, and records what it was sent:
 * for the client's own rules and the adapters' (shared as this module's test jar). Whatever the script does not cover
 * is answered 500, so a test that calls more than it expects sees it. The adapters' suites against a real Countersign
 * are in app/ (clients package).
 */
public final class ScriptedCountersign implements AutoCloseable {

    public record Answer(int status, String body, Map<String, String> headers) {

        public static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    public record Seen(String method, String path, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final Queue<Answer> answers = new ArrayDeque<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public ScriptedCountersign() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client of this server, with the agent's and the gateway's tokens and a back-off of milliseconds. */
    public Countersign client() {
        return Countersign.builder(baseUrl()).agent(TokenSource.of("agent-token")).gateway(TokenSource.of("gateway-token"))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).build();
    }

    public synchronized ScriptedCountersign then(int status, String body) {
        return then(new Answer(status, body, Map.of()));
    }

    public synchronized ScriptedCountersign then(Answer answer) {
        answers.add(answer);
        return this;
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private synchronized void answer(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
        Answer answer = answers.isEmpty() ? Answer.of(500, "{\"code\":\"internal_error\",\"detail\":\"not in the script\"}") : answers.poll();
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", answer.status() < 300 ? "application/json" : "application/problem+json");
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
