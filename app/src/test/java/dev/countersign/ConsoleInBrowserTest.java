package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The minimal console in a real browser: an approver signs in, a request an agent makes appears in
 * the inbox without a reload (server push), the approver opens it and approves, and the agent's
 * long-poll returns APPROVED.
 */
@EndToEndTest
class ConsoleInBrowserTest {

    @LocalServerPort
    int port;

    ChromeDriver browser;

    @BeforeEach
    void browser() throws Exception {
        assumeTrue(Browser.isInstalled(), "No browser: install Debian's chromium and chromium-driver (.ci/run does) to run the console tests");
        browser = Browser.start();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void approverSeesARequestArriveLiveAndApprovesIt() throws Exception {
        var api = new Api(port);
        String agent = api.token("billing-agent", "billing-agent-secret");
        var wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get("http://localhost:" + port + "/login");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name='username']"))).sendKeys("bob");
        browser.findElement(By.cssSelector("input[name='password']")).sendKeys("bob");
        browser.findElement(By.cssSelector("vaadin-button[slot='submit'], vaadin-login-form vaadin-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Awaiting your decision"));

        String amount = "%d.%02d".formatted(100 + (int) (Math.random() * 800), (int) (Math.random() * 100));
        String body = Api.largePayment().replace("1250.00", amount);
        String id = api.ask(agent, body).body().get("id").asString();
        var waiting = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + id + "?wait=60"));

        By row = By.xpath("//vaadin-grid-cell-content[contains(., '" + amount + " EUR')]");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        screenshot("console-inbox.png");
        click(browser.findElement(row));

        wait.until(ExpectedConditions.urlContains("/requests/" + id));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "payments.transfer"));
        screenshot("console-request.png");
        click(wait.until(ExpectedConditions.elementToBeClickable(By.id("approve"))));

        var answer = waiting.get(20, TimeUnit.SECONDS);
        assertThat(answer.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(answer.body().at("/decision/votes/0/approver").asString()).isEqualTo("bob");
        assertThat(answer.body().at("/decision/votes/0/via").asString()).isEqualTo("CONSOLE");
    }

    /** The console scrolls inside its layout, so bring the element into view the way a user would. */
    private void click(org.openqa.selenium.WebElement element) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private void screenshot(String name) throws Exception {
        Path target = Path.of("target", "screenshots", name);
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
