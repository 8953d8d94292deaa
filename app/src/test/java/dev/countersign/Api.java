package dev.countersign;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for end-to-end tests: real requests to the running application on loopback. */
public final class Api {

    /**
     * A 1,250 EUR transfer to a vendor account no other call uses: identical actions coalesce and
     * denied ones cool down, so independent tests must not share one.
     */
    public static String largePayment() {
        return LARGE_PAYMENT.replace("acct-vendor-17", "acct-vendor-" + UUID.randomUUID());
    }

    private static final String LARGE_PAYMENT = """
            {"tool":"payments.transfer","category":"SPEND_MONEY",
             "arguments":{"from":"acct-ops","to":"acct-vendor-17","amount":"1250.00"},
             "resource":"acct-ops","amount":{"value":"1250.00","currency":"EUR"},
             "dataClassification":"CONFIDENTIAL","environment":"prod",
             "justification":"Pay invoice INV-2291 approved in ticket FIN-88","sessionId":"run-7f3a"}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;

    public Api(int port) {
        this.base = "http://localhost:" + port;
    }

    public record Response(int status, HttpResponse<String> raw, JsonNode body) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public String code() {
            return body.path("code").asString();
        }
    }

    public String token(String client, String secret) {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        var response = send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        if (response.status() != 200) {
            throw new AssertionError("token for " + client + ": " + response.status() + " " + response.raw().body());
        }
        return response.body().get("access_token").asString();
    }

    public Response ask(String token, String key, String body) {
        var request = HttpRequest.newBuilder(URI.create(base + "/api/v1/actions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request);
    }

    public Response ask(String token, String body) {
        return ask(token, UUID.randomUUID().toString(), body);
    }

    public Response get(String token, String path) {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    public Response post(String token, String path, String body) {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    public Response vote(String token, String id, String vote, String comment) {
        String body = comment == null ? "{\"vote\":\"" + vote + "\"}" : "{\"vote\":\"" + vote + "\",\"comment\":\"" + comment + "\"}";
        return post(token, "/api/v1/actions/" + id + "/votes", body);
    }

    public Response redeem(String token, String grant, String actionHash) {
        return post(token, "/api/v1/grants/redeem", "{\"grant\":\"" + grant + "\",\"actionHash\":\"" + actionHash + "\"}");
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? json.missingNode() : parse(response.body());
            return new Response(response.statusCode(), response, body);
        } catch (IOException e) {
            throw new AssertionError("HTTP call failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (RuntimeException notJson) {
            return json.missingNode();
        }
    }
}
