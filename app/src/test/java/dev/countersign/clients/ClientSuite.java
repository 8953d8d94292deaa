package dev.countersign.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.client.ClientCredentials;
import dev.countersign.client.Countersign;
import dev.countersign.testing.SharedCountersign;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the client suites share: the one running Countersign, its demo identities, and people who vote. */
final class ClientSuite {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ClientSuite() {
    }

    static URI url() {
        try {
            return SharedCountersign.url();
        } catch (Exception e) {
            throw new IllegalStateException("Countersign did not start", e);
        }
    }

    /** The agent of one suite (test resource clients/countersign-clients.yaml), with the tool gateway that runs its tools. */
    static Countersign countersign(String agent) {
        return Countersign.builder(url()).agent(agent, agent + "-secret").gateway("tool-gateway", "tool-gateway-secret")
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1)).build();
    }

    /** A memo no other test uses: the same payment denied or approved earlier would be coalesced or cooled down. */
    static String memo() {
        return "test " + UUID.randomUUID();
    }

    /** A production database no other test drops: the same action denied earlier would be refused for the cool-down's reason. */
    static String productionDatabase() {
        return "prod-orders-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Waits until {@code agent} has a pending request for {@code tool} that {@code approver} may decide, and decides it. */
    static String decideNextAsk(String agent, String tool, String approver, String vote) {
        String token = ClientCredentials.builtIn(url(), approver, approver).token();
        String[] id = new String[1];
        Awaitility.await("a pending ask of " + agent).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode item : get("/api/v1/approvals", token).get("items")) {
                if (item.get("agent").asString().equals(agent) && item.get("tool").asString().equals(tool)) {
                    id[0] = item.get("id").asString();
                    return true;
                }
            }
            return false;
        });
        var response = send(HttpRequest.newBuilder(url().resolve("/api/v1/actions/" + id[0] + "/votes"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"vote\":\"" + vote + "\",\"comment\":\"checked by the client suite\"}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return id[0];
    }

    /** A GET with a token, answered 200: its JSON. */
    static JsonNode get(String path, String token) {
        var response = send(HttpRequest.newBuilder(url().resolve(path)).header("Authorization", "Bearer " + token).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
