package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.Api;
import dev.countersign.CountersignApplication;
import dev.countersign.testing.Browser;
import dev.countersign.testing.Keycloak;
import dev.countersign.testing.SideApplications;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Countersign against a real identity provider, as "For production" sets it up: Keycloak (from
 * Maven Central) issues the agent's client-credentials token and erika's tokens, and signs erika
 * in to the console. Keycloak names her {@code sub = 4e041e34-…}, {@code preferred_username =
 * erika}. Two API tokens of hers and her console sign-in are one approver: her second API vote is
 * refused and the console shows she already voted, so she alone never makes a two-person quorum.
 * The agent's token also attests what it runs as (hard-coded claims {@code runtime.model} and
 * {@code runtime.instructions} of its client, as an agent platform's issuer would add them): the
 * request records them as attested, and an ask that declares another model is refused.
 */
class KeycloakIdentityTest {

    private static final String ERIKA_SUB = "4e041e34-5d2b-4c1e-9a57-0c6f1f3b2a10";
    private static final String AGENT_SUB = "7d6f2c1a-0b3e-4f5a-9c8d-1e2f3a4b5c6d";

    @Test
    void onePersonFromTheProviderIsOneApproverThroughTheApiAndTheConsole() throws Exception {
        assumeTrue(Keycloak.isUnpacked(), "Keycloak is unpacked into target/keycloak by the build (mvn generate-test-resources)");
        assumeTrue(Browser.isInstalled(), "No browser: install Debian's chromium and chromium-driver (.ci/run does) to run the console tests");
        try (var keycloak = Keycloak.start()) {
            var app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class).profiles("test"),
                    "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:keycloak-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "--countersign.identity.built-in-issuer.enabled=false",
                    "--countersign.identity.issuer-uri=" + keycloak.issuer(),
                    "--countersign.identity.jwk-set-uri=" + keycloak.jwkSetUri(),
                    "--countersign.identity.agents[0].id=" + AGENT_SUB,
                    "--countersign.identity.agents[0].name=Billing agent",
                    "--countersign.identity.agents[0].owner=dana",
                    "--countersign.identity.agents[0].tools[0]=payments.*",
                    "--countersign.identity.agents[0].runtime-claims.model=runtime.model",
                    "--countersign.identity.agents[0].runtime-claims.instructions=runtime.instructions",
                    "--countersign.console.oidc.issuer-uri=" + keycloak.issuer(),
                    "--countersign.console.oidc.client-id=countersign-console",
                    "--countersign.console.oidc.client-secret=console-secret");
            ChromeDriver browser = null;
            try {
                int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
                var api = new Api(port);
                String agent = token(api, keycloak, "billing-agent", "billing-agent-secret", "grant_type=client_credentials");
                var asked = api.ask(agent, Api.largePayment().replace("1250.00", "1250.77"));
                assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
                assertThat(asked.body().get("agentName").asString()).isEqualTo("Billing agent");
                assertThat(asked.body().at("/runtime/model/name").asString()).isEqualTo("example-model-2");
                assertThat(asked.body().at("/runtime/instructions").asString()).isEqualTo("sha256:" + "e5".repeat(32));
                assertThat(asked.body().at("/runtime/attested").valueStream().map(node -> node.asString()).toList())
                        .containsExactly("instructions", "model.name");
                var otherModel = api.ask(agent, Api.largePayment().replace("1250.00", "1250.78")
                        .replaceFirst("\\{", "{\"runtime\":{\"model\":{\"name\":\"another-model\"}},"));
                assertThat(otherModel.status()).as(otherModel.raw().body()).isEqualTo(422);
                assertThat(otherModel.body().at("/mismatches/0/field").asString()).isEqualTo("runtime.model.name");
                String id = asked.body().get("id").asString();

                String erika = "grant_type=password&username=erika&password=erika-password&scope=openid";
                var voted = api.vote(token(api, keycloak, "countersign-console", "console-secret", erika), id, "APPROVE", "via the API");
                assertThat(voted.status()).as(voted.raw().body()).isEqualTo(200);
                assertThat(voted.body().at("/decision/votes/0/approver").asString()).as("named as the console names her").isEqualTo("erika");
                var again = api.vote(token(api, keycloak, "countersign-console", "console-secret", erika), id, "APPROVE", "another token");
                assertThat(again.status()).as("a second token of the same person: %s", again.raw().body()).isEqualTo(409);

                browser = Browser.start();
                var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get("http://localhost:" + port + "/requests/" + id);
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys("erika");
                browser.findElement(By.id("password")).sendKeys("erika-password");
                browser.findElement(By.id("kc-login")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cannot-vote"), "You have already voted"));
                assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("erika");

                var request = api.get(agent, "/api/v1/actions/" + id).body();
                assertThat(request.get("status").asString()).isEqualTo("PENDING");
                assertThat(request.at("/decision/votes").findValuesAsString("approver")).containsExactly("erika");
                assertThat(request.toString()).doesNotContain(ERIKA_SUB);
            } finally {
                if (browser != null) {
                    browser.quit();
                }
                app.close();
            }
        }
    }

    private static String token(Api api, Keycloak keycloak, String client, String secret, String form) {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        var answer = api.send(HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint())).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.body().get("access_token").asString();
    }
}
