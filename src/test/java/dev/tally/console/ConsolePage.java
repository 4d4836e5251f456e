package dev.tally.console;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every console browser test sets up: a fresh Chromium per test (started before the test's
 * own {@code @BeforeEach}, quit after its {@code @AfterEach}), a 30 s wait, signing in, reading the
 * page, screenshots, the browser's severe messages, and the seed data (an organization, welcome
 * credits). Register it as a {@code @RegisterExtension} field of the test class, beside the server.
 */
final class ConsolePage implements BeforeEachCallback, AfterEachCallback {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final TallyServer server;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private Path downloads;

    ConsolePage(TallyServer server) {
        this.server = server;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        downloads = Files.createTempDirectory("console-downloads");
        browser = Browser.start(1280, 1000, downloads);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    ChromeDriver browser() {
        return browser;
    }

    WebDriverWait waiting() {
        return wait;
    }

    /** Where the browser saves downloads, empty at the start of each test. */
    Path downloads() {
        return downloads;
    }

    /**
     * Signs in on the form and waits for the page the sign-in opens to be shown, so that a page the
     * test opens next is not the one still loading. One script reads the heading, so it cannot be
     * replaced between finding and reading it.
     */
    void signIn(String clientId, String secret) {
        browser.get(server.uri() + "console");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("client-id"))).sendKeys(clientId);
        browser.findElement(By.id("client-secret")).sendKeys(secret, Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "Sign out"));
        wait.until(driver -> (Boolean) browser.executeScript("const h1 = document.querySelector('#main h1');"
                + " return !!h1 && h1.textContent !== 'Sign in' && !document.getElementById('main').hasAttribute('aria-busy');"));
    }

    void waitForHeading(String heading) {
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), heading));
    }

    void waitForFigure(String figure, String value) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-figure=" + figure + "]"), value));
    }

    void waitForField(String field, String value) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-field=" + field + "]"), value));
    }

    String text(By by) {
        return browser.findElement(by).getText();
    }

    /** Script errors and Content-Security-Policy violations; answers of 4xx (expected refusals) are left out. */
    List<String> severeBrowserMessages() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource: the server responded with a status of 4"))
                .toList();
    }

    /** Saves what the browser shows as target/console-screenshots/{name}.png (docs/console uses them). */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** A new organization named {@code prefix}-{6 random characters}. */
    Org organization(String prefix, String title) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Reply created = server.admin().post("/v1beta1/organizations",
                "{\"body\":{\"name\":\"" + name + "\",\"title\":\"" + title + "\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return new Org(created.body().path("organization").path("id").asText(), name);
    }

    /** Grants the 1,000 VC of "Welcome credits" that the console tests start from. */
    void welcomeCredits(Org org, String accountId) {
        Reply grant = server.admin().post(Fixtures.accountPath(org, accountId).replace("/v1beta1/", "/v1beta1/admin/")
                + "/credits", "{\"amount\":\"1000\",\"source\":\"onboarding\",\"description\":\"Welcome credits\"}");
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
    }
}
