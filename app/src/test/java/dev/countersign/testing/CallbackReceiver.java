package dev.countersign.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent's callback endpoint, for tests: on 127.0.0.1, it keeps every POST it gets (path, the
 * Standard Webhooks headers, body) and answers 204, or 500 to as many as it is told to fail.
 */
public final class CallbackReceiver implements AutoCloseable {

    public record Received(String path, String id, String timestamp, String signature, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();

    public CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                var headers = exchange.getRequestHeaders();
                received.add(new Received(exchange.getRequestURI().getPath(), headers.getFirst("webhook-id"),
                        headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204, -1);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every POST so far, in the order they came. */
    public List<Received> received() {
        return received;
    }

    /** The next {@code count} POSTs are answered 500: the receiver is down for them. */
    public void failNext(int count) {
        failNext.set(count);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
