package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in a real browser (Debian's headless Chromium): approvers in two browser sessions
 * see a request arrive live and approve it to quorum while the agent waits on its long-poll; a
 * denial needs a comment; hostile arguments show as text and run nothing. Writes the screenshots
 * that docs/console.md shows (copied there with -Dcountersign.screenshots=docs/console).
 */
@EndToEndTest
class ConsoleInBrowserTest {

    @LocalServerPort
    int port;

    final List<ChromeDriver> browsers = new ArrayList<>();
    Api api;
    String agent;

    @BeforeEach
    void setUp() {
        assumeTrue(Browser.isInstalled(), "No browser: install Debian's chromium and chromium-driver (.ci/run does) to run the console tests");
        api = new Api(port);
        // An agent no other test asks with: look-alike pending asks of one agent are one group row in the inbox.
        agent = api.token("console-agent", "console-agent-secret");
    }

    @AfterEach
    void close() {
        browsers.forEach(ChromeDriver::quit);
    }

    @Test
    void twoApproversInTwoSessionsApproveToQuorumWhileTheAgentWaits() throws Exception {
        ChromeDriver alice = signIn("alice");
        ChromeDriver bob = signIn("bob");

        int euros = 1000 + (int) (Math.random() * 8000);
        int cents = (int) (Math.random() * 100);
        String amount = "%d.%02d".formatted(euros, cents);
        String id = api.ask(agent, Api.largePayment().replace("1250.00", amount)).body().get("id").asString();
        var waiting = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + id + "?wait=60"));

        // Both inboxes show it without a reload (server push), with its amount as people read it.
        By row = By.xpath("//vaadin-grid-cell-content[contains(., '" + "%d,%03d.%02d".formatted(euros / 1000, euros % 1000, cents) + " EUR')]");
        waitFor(alice).until(ExpectedConditions.presenceOfElementLocated(row));
        waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(row));
        screenshot(alice, "console-inbox.png");
        darkScreenshot(alice, "console-inbox-dark.png");

        click(alice, alice.findElement(row));
        waitFor(alice).until(ExpectedConditions.urlContains("/requests/" + id));
        waitFor(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "0 of 2 from group:finance"));
        click(alice, waitFor(alice).until(ExpectedConditions.elementToBeClickable(By.id("approve"))));
        waitFor(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.id("cannot-vote"), "You have already voted"));

        click(bob, bob.findElement(row));
        waitFor(bob).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "alice: APPROVE via CONSOLE"));
        bob.manage().window().setSize(new Dimension(390, 844));
        assertThat((Long) bob.executeScript("return document.documentElement.scrollWidth")).as("no sideways scrolling at 390 px")
                .isLessThanOrEqualTo(390L);
        click(bob, waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.id("approve"))));

        var answer = waiting.get(20, TimeUnit.SECONDS);
        assertThat(answer.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(answer.body().at("/decision/votes").findValuesAsString("approver")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(answer.body().at("/decision/votes").findValuesAsString("via")).containsOnly("CONSOLE");
        // Alice's page, open all along, shows the outcome without a reload.
        waitFor(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "Decided (bob)"));
        assertThat(alice.findElement(By.id("timeline")).getText()).contains("Grant issued");
    }

    @Test
    void aDenialNeedsACommentAndHostileArgumentsRunNothing() throws Exception {
        String hostile = "<script>window.__pwned='script'</script><img src=x onerror=\\\"window.__pwned='img'\\\">";
        String amount = "%d.00".formatted(100 + (int) (Math.random() * 800));
        String body = """
                {"tool":"payments.transfer","category":"SPEND_MONEY","amount":{"value":"%s","currency":"EUR"},
                 "justification":"%s","arguments":{"from":"acct-ops","to":"acct-%s","amount":"%s","memo":"%s"}}
                """.formatted(amount, hostile, UUID.randomUUID(), amount, hostile);
        var asked = api.ask(agent, body);
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String id = asked.body().get("id").asString();
        var waiting = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + id + "?wait=60"));

        ChromeDriver alice = signIn("alice");
        alice.get(base() + "/requests/" + id);
        var arguments = waitFor(alice).until(ExpectedConditions.presenceOfElementLocated(By.id("arguments")));
        assertThat(arguments.getText()).contains("<script>window.__pwned='script'</script>").contains("<img src=x onerror=");
        assertThat(alice.findElement(By.tagName("body")).getText()).contains("<script>window.__pwned='script'</script>");
        assertThat(alice.findElements(By.cssSelector("img[src='x']"))).isEmpty();
        assertThat(alice.executeScript("return window.__pwned")).isNull();

        click(alice, alice.findElement(By.id("deny")));
        waitFor(alice).until(d -> d.findElement(By.id("comment")).getDomAttribute("invalid") != null);
        assertThat(alice.findElement(By.id("comment")).getText()).contains("Say why you deny it");
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("PENDING");

        alice.findElement(By.cssSelector("#comment textarea")).sendKeys("Memo field contains markup; ask the requester");
        click(alice, alice.findElement(By.id("deny")));

        var answer = waiting.get(20, TimeUnit.SECONDS);
        assertThat(answer.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(answer.body().at("/decision/votes/0/comment").asString()).isEqualTo("Memo field contains markup; ask the requester");
        assertThat(alice.executeScript("return window.__pwned")).isNull();
    }

    @Test
    void approveAndDenyAreAboveTheFoldOnADesktopAndOnAPhone() throws Exception {
        // A request with much to read: long arguments and a long justification come after the decision, not before it.
        String memo = "Quarterly settlement. ".repeat(20);
        String justification = "Invoice INV-2291 is due today; the vendor confirmed the account by phone. ".repeat(4);
        String body = "{\"tool\":\"payments.transfer\",\"justification\":\"" + justification + "\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-"
                + UUID.randomUUID() + "\",\"amount\":\"640.00\",\"memo\":\"" + memo + "\"}}";
        var asked = api.ask(agent, body);
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String id = asked.body().get("id").asString();
        ChromeDriver alice = signIn("alice");

        for (var size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
            alice.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size.width, "height", size.height,
                    "deviceScaleFactor", 1, "mobile", size.width < 600));
            alice.get(base() + "/requests/" + id);
            waitFor(alice).until(ExpectedConditions.elementToBeClickable(By.id("approve")));
            for (String button : List.of("approve", "deny")) {
                @SuppressWarnings("unchecked")
                var box = (Map<String, Number>) alice.executeScript(
                        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                                + "return {top: r.top, bottom: r.bottom, right: r.right, height: window.innerHeight};", button);
                assertThat(box.get("height").intValue()).as("viewport height").isEqualTo(size.height);
                assertThat(box.get("top").doubleValue()).as(button + " top at " + size).isGreaterThanOrEqualTo(0);
                assertThat(box.get("bottom").doubleValue()).as(button + " bottom at " + size).isLessThanOrEqualTo(size.height);
                assertThat(box.get("right").doubleValue()).as(button + " right at " + size).isLessThanOrEqualTo(size.width);
            }
            assertThat(alice.findElement(By.id("what")).getText()).startsWith("640.00 EUR to acct-");
            screenshot(alice, size.width < 600 ? "console-request-phone.png" : "console-request.png");
        }
        alice.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        assertThat(api.vote(api.token("bob", "bob"), id, "DENY", "done").status()).isEqualTo(200);
    }

    @Test
    void lookAlikeAsksAreOneRowThatIsDeniedTogetherWithOneComment() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var asked = api.ask(agent, "{\"tool\":\"payments.split\",\"arguments\":{\"to\":\"acct-" + UUID.randomUUID()
                    + "\",\"amount\":\"40.00\"}}");
            assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
            ids.add(asked.body().get("id").asString());
        }
        ChromeDriver bob = signIn("bob");
        By group = By.xpath("//vaadin-grid-cell-content[contains(., '120.00 EUR to 3 payees')]");
        waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(By.xpath("//vaadin-grid-cell-content[.='3 × payments.split']")));
        waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(group));
        screenshot(bob, "console-inbox-group.png");

        click(bob, bob.findElement(group));
        waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(By.id("deny-group")));
        bob.findElement(By.cssSelector("#group-comment textarea")).sendKeys("One payment in three parts: ask for it whole");
        screenshot(bob, "console-group-dialog.png");
        click(bob, bob.findElement(By.id("deny-group")));

        waitFor(bob).until(ExpectedConditions.textToBePresentInElementLocated(By.id("group-outcome"), "Denied 3 of 3."));
        for (String id : ids) {
            var decided = api.get(agent, "/api/v1/actions/" + id).body();
            assertThat(decided.get("status").asString()).isEqualTo("DENIED");
            assertThat(decided.at("/decision/votes").findValuesAsString("approver")).containsExactly("bob");
        }
    }

    @Test
    void signingInAgainFromAStepUpRequestComesBackToItAndTheApprovalCounts() throws Exception {
        var asked = api.ask(agent, "{\"tool\":\"payments.wire\",\"arguments\":{\"to\":\"acct-" + UUID.randomUUID() + "\",\"amount\":\"300.00\"}}");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String id = asked.body().get("id").asString();
        ChromeDriver alice = signIn("alice");
        alice.get(base() + "/requests/" + id);
        waitFor(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.id("step-up"),
                "Rule wires-step-up counts an approval only within 5 min of signing in"));

        click(alice, alice.findElement(By.id("sign-in-again")));
        Browser.submitSignIn(alice, "alice");

        waitFor(alice).until(ExpectedConditions.urlContains("/requests/" + id));
        click(alice, waitFor(alice).until(ExpectedConditions.elementToBeClickable(By.id("approve"))));
        waitFor(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.id("cannot-vote"), "You have already voted"));
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("APPROVED");
    }

    @Test
    void aPasskeyRegisteredInTheConsoleSignsInWithoutAPasswordAndCountsAsAFreshSignIn() throws Exception {
        // bob: no other test signs him in for a step-up rule, which his passkey now guards.
        ChromeDriver bob = signIn("bob");
        // Chromium's virtual authenticator (the WebDriver WebAuthn extension): a platform passkey that verifies its user.
        bob.addVirtualAuthenticator(new org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions()
                .setProtocol(org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
        click(bob, waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.id("passkeys"))));
        waitFor(bob).until(ExpectedConditions.presenceOfElementLocated(By.id("label"))).sendKeys("bob's laptop");
        bob.findElement(By.id("register")).click();
        waitFor(bob).until(ExpectedConditions.urlContains("/webauthn/register?success"));
        assertThat(bob.findElement(By.tagName("body")).getText()).contains("bob's laptop");
        // With a passkey registered, a password sign-in no longer counts for step-up rules: only the passkey does.
        var wire = api.ask(agent, "{\"tool\":\"payments.wire\",\"arguments\":{\"to\":\"acct-" + UUID.randomUUID() + "\",\"amount\":\"450.00\"}}");
        String id = wire.body().get("id").asString();
        bob.get(base() + "/requests/" + id);
        waitFor(bob).until(ExpectedConditions.textToBePresentInElementLocated(By.id("step-up"), "Sign in again with your passkey to approve"));
        assertThat(bob.findElement(By.id("approve")).getDomAttribute("disabled")).as("Approve disabled").isNotNull();
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("PENDING");

        // A new session with no password typed: only the passkey.
        bob.manage().deleteAllCookies();
        bob.get(base() + "/login");
        click(bob, waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.id("passkey-sign-in"))));
        waitFor(bob).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Awaiting your decision"));
        assertThat(bob.findElement(By.id("signed-in-as")).getText()).isEqualTo("bob");

        // The passkey sign-in is fresh: the step-up rule's approval counts.
        bob.get(base() + "/requests/" + id);
        waitFor(bob).until(ExpectedConditions.textToBePresentInElementLocated(By.id("step-up"), "you signed in"));
        click(bob, waitFor(bob).until(ExpectedConditions.elementToBeClickable(By.id("approve"))));
        waitFor(bob).until(ExpectedConditions.textToBePresentInElementLocated(By.id("cannot-vote"), "You have already voted"));
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("APPROVED");
    }

    @Test
    void theRequestsProcessIsDrawnWithItsCurrentStepMarked() throws Exception {
        var asked = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"220.00\"}}");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String id = asked.body().get("id").asString();
        ChromeDriver alice = signIn("alice");

        // The approvers are notified by the process's first job: the page says so once it has run.
        waitFor(alice).until(driver -> {
            driver.get(base() + "/requests/" + id);
            return new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(By.id("process-step")))
                    .getText().startsWith("Waiting for a decision");
        });
        waitFor(alice).until(driver -> "true".equals(driver.findElement(By.id("process-diagram")).getDomAttribute("data-drawn")));
        assertThat(alice.findElement(By.id("process-diagram")).getDomAttribute("data-current")).isEqualTo("decided");
        assertThat(alice.executeScript("return [...document.querySelectorAll('#process-diagram .cs-current')].map(e => e.dataset.elementId)"))
                .asList().containsExactly("decided");
        assertThat(alice.executeScript("return [...document.querySelectorAll('#process-diagram .cs-done')].map(e => e.dataset.elementId)"))
                .asList().containsExactlyInAnyOrder("requested", "notify");
        alice.executeScript("document.getElementById('process-diagram').scrollIntoView({block: 'center'})");
        screenshot(alice, "console-process.png");
        assertThat(api.vote(api.token("bob", "bob"), id, "DENY", "done").status()).isEqualTo(200);
    }

    @Test
    void theDashboardDrawsHowDecisionsGo() throws Exception {
        var asked = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"90.00\"}}");
        assertThat(api.vote(api.token("alice", "alice"), asked.body().get("id").asString(), "APPROVE", null).status()).isEqualTo(200);
        ChromeDriver admin = signIn("admin");

        admin.get(base() + "/admin/dashboard");

        for (String chart : List.of("chart-time-to-decision", "chart-requests", "chart-expiries", "chart-approvers")) {
            waitFor(admin).until(driver -> "true".equals(driver.findElement(By.id(chart)).getDomAttribute("data-drawn")));
            assertThat(admin.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart + " drawn").isNotEmpty();
        }
        assertThat(admin.findElement(By.id("time-to-decision")).getText()).contains("small-payments");
        assertThat(admin.findElement(By.id("decisions-per-approver")).getText()).contains("alice");
        assertThat(admin.findElement(By.id("dashboard-totals")).getText()).matches("\\d+ requests?, \\d+ expired, in the last 14 days \\(UTC\\)\\.");
        screenshot(admin, "console-dashboard.png");
    }

    private ChromeDriver signIn(String user) throws Exception {
        ChromeDriver browser = Browser.start();
        browsers.add(browser);
        Browser.signIn(browser, base(), user);
        return browser;
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static WebDriverWait waitFor(ChromeDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    /** The console scrolls inside its layout, so bring the element into view the way a user would. */
    private static void click(ChromeDriver browser, WebElement element) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    /** The same page as a browser that prefers dark renders it. */
    private void darkScreenshot(ChromeDriver browser, String name) throws Exception {
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        Thread.sleep(300);
        screenshot(browser, name);
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Path target = Path.of("target", "screenshots", name);
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String docs = System.getProperty("countersign.screenshots");
        if (docs != null && !docs.isBlank()) {
            // Run from app/: the docs folder is one level up.
            Path copy = Path.of("..").resolve(docs).resolve(name);
            Files.createDirectories(copy.getParent());
            Files.write(copy, png);
        }
    }
}
