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

    /** An application/x-www-form-urlencoded body or query string, decoded. */
    static Map<String, String> form(String raw) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return values;
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
