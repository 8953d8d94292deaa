package dev.countersign.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.testing.SideApplications;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * On embedded defaults the built-in issuer is the server's own address, whatever port it runs
 * on: an MCP client that follows OAuth discovery from the gateway's 401 (protected-resource
 * metadata, then the issuer's metadata, then its token endpoint) reaches this server and its
 * token works. The issuer's metadata advertises only what it serves.
 */
class IssuerOnAnyPortTest {

    @Test
    void discoveryFromTheGatewayLeadsBackToThisServerOnItsOwnPort() throws Exception {
        int port;
        try (var free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // The default profile (not "test", which pins the issuer for hand-made tokens), on an in-memory database.
        var app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class),
                "--server.port=" + port, "--spring.datasource.url=jdbc:h2:mem:issuer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try {
            String self = "http://localhost:" + port;
            var api = new Api(port);

            var resource = api.get(null, "/.well-known/oauth-protected-resource/mcp").body();
            assertThat(resource.path("authorization_servers").path(0).asString()).isEqualTo(self);
            var issuer = api.get(null, "/.well-known/oauth-authorization-server").body();
            assertThat(issuer.path("issuer").asString()).isEqualTo(self);
            assertThat(issuer.path("token_endpoint").asString()).isEqualTo(self + "/oauth2/token");
            assertThat(issuer.path("grant_types_supported").valueStream().map(node -> node.asString()).toList())
                    .containsExactly("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange");
            assertThat(issuer.has("introspection_endpoint")).isFalse();
            assertThat(issuer.has("dpop_signing_alg_values_supported")).isFalse();
            assertThat(issuer.has("device_authorization_endpoint")).isFalse();

            String basic = Base64.getEncoder().encodeToString("desktop-agent:desktop-agent-secret".getBytes());
            var token = api.send(HttpRequest.newBuilder(URI.create(issuer.path("token_endpoint").asString()))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
            assertThat(token.status()).isEqualTo(200);
            String accessToken = token.body().get("access_token").asString();
            String payload = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
            assertThat(JsonMapper.shared().readTree(payload).path("iss").asString()).isEqualTo(self);

            var initialize = api.send(HttpRequest.newBuilder(URI.create(self + "/mcp")).header("Authorization", "Bearer " + accessToken)
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}")));
            assertThat(initialize.status()).as(initialize.raw().body()).isEqualTo(200);
        } finally {
            app.close();
        }
    }
}
