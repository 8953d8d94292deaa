package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.EndToEndTest;
import dev.countersign.testing.Browser;
import dev.countersign.testing.FakeOidcProvider;
import java.time.Duration;
import java.util.List;
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
 * The console's OIDC sign-in in a real browser against a real authorization code flow (a fake
 * provider on loopback): no password form, the provider's groups claim decides what the person
 * may open, and sign-out ends the session.
 */
@EndToEndTest
class OidcSignInTest {

    static final FakeOidcProvider provider;

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

    @Test
    void signsInThroughTheProviderWithGroupsFromItsClaim() throws Exception {
        assumeTrue(Browser.isInstalled(), "No browser: install Debian's chromium and chromium-driver (.ci/run does) to run the console tests");
        // carol is in 'platform' by configuration; the provider also puts her in 'admin'.
        provider.signInAs(new FakeOidcProvider.Person("oidc-sub-7", "carol", "carol@example.com", List.of("platform", "admin")));
        browser = Browser.start();
        var wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://localhost:" + port + "/");

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Awaiting your decision"));
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("carol");
        assertThat(browser.findElements(By.cssSelector("input[name='password']"))).isEmpty();
        browser.get("http://localhost:" + port + "/admin/agents");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "billing-agent"));

        // Whoever signs in at the provider next is alice: sign-out ends carol's session there too (RP-initiated logout).
        provider.signInAs(new FakeOidcProvider.Person("oidc-sub-8", "alice", "alice@example.com", List.of("finance")));
        browser.findElement(By.xpath("//vaadin-button[contains(., 'Sign out')]")).click();
        wait.until(driver -> !provider.logouts().isEmpty());
        assertThat(provider.logouts()).hasSize(1).allMatch(idToken -> !idToken.isBlank());
        browser.get("http://localhost:" + port + "/");
        wait.until(ExpectedConditions.textToBe(By.id("signed-in-as"), "alice"));
        assertThat(browser.findElements(By.xpath("//vaadin-side-nav-item[contains(., 'Agents')]"))).isEmpty();
        browser.get("http://localhost:" + port + "/admin/agents");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Not found"));
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("billing-agent");
    }

    @Test
    void aStepUpRuleTakesTheProvidersAuthTimeNotTheConsolesLoginAndSignInAgainMakesTheProviderAsk() throws Exception {
        assumeTrue(Browser.isInstalled(), "No browser: install Debian's chromium and chromium-driver (.ci/run does) to run the console tests");
        var api = new dev.countersign.Api(port);
        var asked = api.ask(api.token("payout-agent", "payout-agent-secret"), "{\"tool\":\"payments.wire\",\"arguments\":{\"to\":\"acct-"
                + java.util.UUID.randomUUID() + "\",\"amount\":\"310.00\"}}");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String id = asked.body().get("id").asString();
        // alice's session at the provider is 20 minutes old: it signs her in to the console without asking.
        provider.signInAs(new FakeOidcProvider.Person("oidc-sub-9", "alice", "alice@example.com", List.of("finance"),
                java.time.Instant.now().minus(Duration.ofMinutes(20))));
        browser = Browser.start();
        var wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("http://localhost:" + port + "/");
        wait.until(ExpectedConditions.textToBe(By.id("signed-in-as"), "alice"));

        browser.get("http://localhost:" + port + "/requests/" + id);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("step-up"), "Sign in again to approve"));
        assertThat(browser.findElement(By.id("approve")).getDomAttribute("disabled")).as("Approve disabled: an SSO login is no fresh sign-in")
                .isNotNull();

        int authorizationsBefore = provider.authorizations().size();
        browser.findElement(By.id("sign-in-again")).click();
        // The browser is on the request's page already: wait for the provider to have been asked again, then for the way back.
        org.awaitility.Awaitility.await("the provider asked to sign alice in again").atMost(Duration.ofSeconds(20))
                .until(() -> provider.authorizations().size() > authorizationsBefore);
        wait.until(ExpectedConditions.urlContains("/requests/" + id));
        assertThat(provider.authorizations().getLast()).containsEntry("max_age", "0").containsEntry("prompt", "login");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("approve"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cannot-vote"), "You have already voted"));
        assertThat(api.get(api.token("admin", "admin"), "/api/v1/approvals/" + id).body().get("status").asString()).isEqualTo("APPROVED");
    }

}
