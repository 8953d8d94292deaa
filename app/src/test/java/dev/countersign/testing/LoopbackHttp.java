package dev.countersign.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Answers for the fake servers on loopback (Slack, Camunda, the OpenID provider). */
final class LoopbackHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LoopbackHttp() {
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body), Map.of());
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
