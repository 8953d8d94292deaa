package dev.countersign.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) at a token endpoint: Countersign's built-in issuer
 * ({@code <base>/oauth2/token}) or your own. The token is kept until a minute before it expires.
 */
public final class ClientCredentials implements TokenSource {

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http;
    private final Clock clock;
    // A lock rather than synchronized: a virtual thread fetching a token does not pin its carrier.
    private final ReentrantLock lock = new ReentrantLock();
    private String token;
    private Instant renewAt = Instant.MIN;

    public ClientCredentials(URI tokenEndpoint, String clientId, String clientSecret) {
        this(tokenEndpoint, clientId, clientSecret, HttpClient.newHttpClient(), Clock.systemUTC());
    }

    ClientCredentials(URI tokenEndpoint, String clientId, String clientSecret, HttpClient http, Clock clock) {
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.http = http;
        this.clock = clock;
    }

    /** Countersign's built-in issuer at {@code baseUrl}. */
    public static ClientCredentials builtIn(URI baseUrl, String clientId, String clientSecret) {
        return new ClientCredentials(baseUrl.resolve("/oauth2/token"), clientId, clientSecret);
    }

    @Override
    public String token() {
        lock.lock();
        try {
            if (token == null || !clock.instant().isBefore(renewAt)) {
                fetch();
            }
            return token;
        } finally {
            lock.unlock();
        }
    }

    private void fetch() {
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
                throw new CountersignProblem(response.statusCode(), body.path("error").asString("unauthorized"),
                        "The token endpoint " + tokenEndpoint + " refused client " + clientId + ": "
                                + body.path("error_description").asString(body.toString()), body);
            }
            token = body.get("access_token").asString();
            long expiresIn = body.path("expires_in").asLong(300);
            renewAt = clock.instant().plusSeconds(Math.max(expiresIn - 60, expiresIn / 2));
        } catch (IOException e) {
            throw new CountersignUnavailable("Could not reach the token endpoint " + tokenEndpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CountersignUnavailable("Interrupted while fetching a token", e);
        }
    }
}
