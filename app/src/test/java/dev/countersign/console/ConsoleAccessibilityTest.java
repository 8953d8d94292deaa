package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Browser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every view of the console (the dashboard's charts and the request's process diagram drawn) passes axe-core (the accessibility engine browsers' own audits use, from npm, pinned in
 * app/src/test/browser) in Chromium with no violation of any impact, and Approve and Deny can be reached and pressed
 * with the keyboard alone.
 */
@EndToEndTest
class ConsoleAccessibilityTest {

    static final Path AXE = Path.of("src/test/browser/node_modules/axe-core/axe.min.js").toAbsolutePath();

    @LocalServerPort
    int port;
    final List<ChromeDriver> browsers = new ArrayList<>();
    Api api;

    @BeforeEach
    void setUp() {
        assumeTrue(Browser.isInstalled(), "No browser: install Debian's chromium and chromium-driver (.ci/run does)");
        dev.countersign.testing.NpmFolder.require(AXE.getParent().getParent().getParent(), AXE, "axe-core");
        api = new Api(port);
    }

    @AfterEach
    void close() {
        browsers.forEach(ChromeDriver::quit);
    }

    @Test
    void everyViewHasNoAccessibilityViolation() throws Exception {
        String agent = api.token("console-agent", "console-agent-secret");
        var asked = api.ask(agent, "{\"tool\":\"payments.transfer\",\"justification\":\"Invoice INV-88\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-"
                + UUID.randomUUID() + "\",\"amount\":\"75.00\"}}");
        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        String id = asked.body().get("id").asString();

        Map<String, List<String>> violations = new LinkedHashMap<>();
        ChromeDriver browser = Browser.start();
        browsers.add(browser);
        browser.get(base() + "/login");
        waitFor(browser).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name='username']")));
        violations.put("sign-in", axe(browser));
        signIn(browser, "admin");
        for (String path : List.of("/", "/requests/" + id, "/history", "/standing", "/admin/agents", "/admin/approvers", "/admin/policy",
                "/admin/audit", "/admin/dashboard")) {
            browser.get(base() + path);
            waitFor(browser).until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
            violations.put(path, axe(browser));
        }

        assertThat(violations).as("views checked").hasSize(10);
        assertThat(violations).allSatisfy((view, found) -> assertThat(found).as("axe-core violations on " + view).isEmpty());
        assertThat(api.vote(api.token("bob", "bob"), id, "DENY", "done").status()).isEqualTo(200);
    }

    @Test
    void approveAndDenyAreReachedAndPressedWithTheKeyboardAlone() throws Exception {
        String agent = api.token("console-agent", "console-agent-secret");
        var asked = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"55.00\"}}");
        String id = asked.body().get("id").asString();
        ChromeDriver browser = Browser.start();
        browsers.add(browser);
        signIn(browser, "alice");
        browser.get(base() + "/requests/" + id);
        waitFor(browser).until(ExpectedConditions.elementToBeClickable(By.id("approve")));

        // Tab from the top of the page until Approve has the focus, as someone without a mouse would.
        String focused = "";
        for (int presses = 0; presses < 40 && !"approve".equals(focused); presses++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            focused = String.valueOf(browser.executeScript("return document.activeElement && document.activeElement.id"));
        }
        assertThat(focused).as("Approve reached by Tab").isEqualTo("approve");
        browser.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(browser.executeScript("return document.activeElement.id")).as("Deny next").isEqualTo("deny");
        browser.switchTo().activeElement().sendKeys(Keys.SHIFT, Keys.TAB);
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);

        waitFor(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("cannot-vote"), "You have already voted"));
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("APPROVED");
    }

    /** The violations axe-core finds on the page as it is now: rule id, impact and the first few elements. */
    private static List<String> axe(ChromeDriver browser) throws IOException {
        browser.executeScript(Files.readString(AXE));
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        Object result = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                // Vaadin's connection indicator (shown only while the server is unreachable) is the framework's, outside any view.
                axe.run({exclude: [['vaadin-connection-indicator']]}, {resultTypes: ['violations']}).then(r => done(r.violations.map(v =>
                    v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))));
                """);
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) result;
        return found;
    }

    private void signIn(ChromeDriver browser, String user) {
        Browser.signIn(browser, base(), user);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static WebDriverWait waitFor(ChromeDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

}
