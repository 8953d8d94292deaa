package dev.countersign.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer of the plainest kind, for tests: every HTTP request goes to the next instance in
 * turn, with no stickiness of any sort (not by connection, not by header), and responses stream
 * back as they come (server-sent events included).
 */
public final class RoundRobinProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade",
            "keep-alive", "expect", "te", "trailer", "proxy-connection");

    private final HttpServer server;
    private final List<Integer> ports;
    private final java.util.Map<String, String> added;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger[] served;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public RoundRobinProxy(List<Integer> ports) throws IOException {
        this(ports, java.util.Map.of());
    }

    /** With {@code added} headers on every request (a client's token, where the client cannot send one). */
    public RoundRobinProxy(List<Integer> ports, java.util.Map<String, String> added) throws IOException {
        this.added = java.util.Map.copyOf(added);
        this.ports = List.copyOf(ports);
        this.served = ports.stream().map(port -> new AtomicInteger()).toArray(AtomicInteger[]::new);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests each instance was sent, in the order of the ports given. */
    public List<Integer> served() {
        return java.util.Arrays.stream(served).map(AtomicInteger::get).toList();
    }

    private void forward(HttpExchange exchange) throws IOException {
        int index = Math.floorMod(next.getAndIncrement(), ports.size());
        served[index].incrementAndGet();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(index) + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && added.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            added.forEach(request::header);
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            try (InputStream from = response.body()) {
                boolean empty = response.statusCode() == 202 || response.statusCode() == 204
                        || response.headers().firstValueAsLong("content-length").orElse(-1) == 0;
                exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
                if (!empty) {
                    OutputStream to = exchange.getResponseBody();
                    byte[] buffer = new byte[8192];
                    for (int read; (read = from.read(buffer)) != -1; ) {
                        to.write(buffer, 0, read);
                        to.flush();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
