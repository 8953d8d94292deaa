package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.testing.SideApplications;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The built-in issuer behind a load balancer: instances on one database sign and verify with the
 * same keys, so a token from one works on another and after a restart, and a revocation made on
 * one holds on every one (RevokedTokensTest: within a second while both run).
 */
class BuiltInIssuerAcrossInstancesTest {

    private final String database = "jdbc:h2:mem:issuer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;

    private ConfigurableApplicationContext start() {
        return SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class).profiles("test"),
                "--server.port=0", "--spring.datasource.url=" + database, "--logging.level.root=warn");
    }

    private static Api api(ConfigurableApplicationContext app) {
        return new Api(app.getEnvironment().getProperty("local.server.port", Integer.class));
    }

    private static Api.Response revoke(ConfigurableApplicationContext app, String client, String token) {
        return api(app).send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.getEnvironment().getProperty("local.server.port")
                        + "/oauth2/revoke"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(client.getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void aTokenFromOneInstanceWorksOnTheNextUntilRevokedAnywhere() {
        // One instance at a time on the shared database (two Vaadin applications side by side in one JVM share Spring
        // Security's static context holder: testing/SideApplications). What one instance issued, the next verifies.
        a = start();
        String first = api(a).token("billing-agent", "billing-agent-secret");
        String second = api(a).token("billing-agent", "billing-agent-secret");
        String kid = api(a).get(null, "/oauth2/jwks").body().get("keys").get(0).get("kid").asString();
        a.close();
        a = null;

        b = start();
        assertThat(api(b).get(null, "/oauth2/jwks").body().get("keys").get(0).get("kid").asString()).isEqualTo(kid);
        assertThat(api(b).get(first, "/api/v1/actions/act_none").code()).as("a token of the instance before").isEqualTo("not_found");
        var revoked = revoke(b, "billing-agent:billing-agent-secret", first);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(api(b).get(first, "/api/v1/actions/act_none").status()).isEqualTo(401);
        b.close();
        b = null;

        a = start();
        assertThat(api(a).get(first, "/api/v1/actions/act_none").status()).as("the revocation outlives the instance").isEqualTo(401);
        assertThat(api(a).get(second, "/api/v1/actions/act_none").code()).as("other tokens still work").isEqualTo("not_found");
    }

    @Test
    void aClientCannotRevokeAnotherClientsToken() {
        a = start();
        String agent = api(a).token("billing-agent", "billing-agent-secret");
        assertThat(revoke(a, "carol:carol", agent).status()).isEqualTo(200);
        await("the token keeps working").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> api(a).get(agent, "/api/v1/actions/act_none").code().equals("not_found"));
    }
}
