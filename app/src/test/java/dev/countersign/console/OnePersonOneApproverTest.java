package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Browser;
import dev.countersign.testing.FakeOidcProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With an identity provider, one person is one approver whichever door they use. The provider
 * names erika {@code sub = 4e041e34-…} and {@code preferred_username = erika}; the console named
 * her by the username and the API by {@code sub}, so her API vote and her console vote made a
 * two-of-finance quorum alone. Now both read {@code countersign.identity.username-claim}.
 */
@EndToEndTest
class OnePersonOneApproverTest {

    static final FakeOidcProvider provider;
    static final FakeOidcProvider.Person ERIKA = new FakeOidcProvider.Person("4e041e34-5d2b-4c1e-9a57-0c6f1f3b2a10", "erika",
            "erika@example.com", List.of("finance"));

    static {
        try {
            provider = new FakeOidcProvider();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry registry) {
        registry.add("countersign.console.oidc.issuer-uri", provider::issuer);
        registry.add("countersign.console.oidc.client-id", () -> FakeOidcProvider.CLIENT_ID);
        registry.add("countersign.console.oidc.client-secret", () -> FakeOidcProvider.CLIENT_SECRET);
        registry.add("countersign.identity.built-in-issuer.enabled", () -> "false");
        registry.add("countersign.identity.issuer-uri", provider::issuer);
        registry.add("countersign.identity.jwk-set-uri", () -> provider.issuer() + "/jwks");
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    @LocalServerPort
    int port;
    ChromeDriver browser;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String erikasToken() {
        return provider.apiToken(ERIKA.subject(), Map.of("preferred_username", ERIKA.username(), "email", ERIKA.email(),
                "groups", ERIKA.groups()));
    }

    @Test
    void erikasApiVoteAndHerConsoleAreOneApprover() throws Exception {
        assumeTrue(Browser.isInstalled(), "No browser: install Debian's chromium and chromium-driver (.ci/run does) to run the console tests");
        var api = new Api(port);
        String agent = provider.apiToken("billing-agent", Map.of());
        String id = api.ask(agent, Api.largePayment().replace("1250.00", "1250.17")).body().get("id").asString();

        var voted = api.vote(erikasToken(), id, "APPROVE", "through the API");
        assertThat(voted.status()).as(voted.raw().body()).isEqualTo(200);
        assertThat(voted.body().at("/decision/votes/0/approver").asString()).isEqualTo("erika");
        // Another token of the same person: the same approver.
        assertThat(api.vote(erikasToken(), id, "APPROVE", "again").status()).isEqualTo(409);

        provider.signInAs(ERIKA);
        browser = Browser.start();
        var wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("http://localhost:" + port + "/requests/" + id);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cannot-vote"), "You have already voted"));
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("erika");

        var request = api.get(agent, "/api/v1/actions/" + id).body();
        assertThat(request.get("status").asString()).isEqualTo("PENDING");
        assertThat(request.at("/decision/votes").findValuesAsString("approver")).containsExactly("erika");
    }

    @Test
    void aConsoleClaimOtherThanTheApisIsRefused() {
        var identity = new dev.countersign.identity.IdentityProperties("countersign", "groups", "preferred_username", null, null, null,
                List.of(), List.of(), List.of(), Duration.ofSeconds(10), null, 3, null, List.of());
        var console = new ConsoleOidcProperties(provider.issuer(), FakeOidcProvider.CLIENT_ID, FakeOidcProvider.CLIENT_SECRET, "email", null,
                List.of("openid"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConsoleOidcConfiguration.usernameClaim(console, identity))
                .hasMessageContaining("countersign.console.oidc.username-claim (email) differs from countersign.identity.username-claim");
        assertThat(ConsoleOidcConfiguration.usernameClaim(new ConsoleOidcProperties(provider.issuer(), "c", "s", null, null, List.of()),
                identity)).isEqualTo("preferred_username");
    }

    @Test
    void aPersonsTokenWithoutTheUsernameClaimNamesNobody() {
        var api = new Api(port);
        var answer = api.get(provider.apiToken("b1c2d3e4-0000-4000-8000-000000000001", Map.of("groups", List.of("finance"))),
                "/api/v1/approvals");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().get("detail").asString()).contains("'preferred_username'").contains("countersign.identity.username-claim");

        // Without a token, the 401 says where tokens come from here: the provider, not a built-in endpoint that is off.
        var anonymous = api.get(null, "/api/v1/approvals");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().get("detail").asString()).contains(provider.issuer()).doesNotContain("/oauth2/token");
    }
}
