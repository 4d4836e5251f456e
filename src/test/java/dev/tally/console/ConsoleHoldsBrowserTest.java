package dev.tally.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The holds pages in a real Chromium (DESIGN §12, §16): an operator lists an account's holds by
 * state and page, captures part of one and releases another after a confirmation that states the
 * effect, and sees Tally's refusal on the page when the hold was captured behind its back; held
 * and available move on the account page; a service user reads holds and cannot change them.
 */
class ConsoleHoldsBrowserTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    @RegisterExtension
    final ConsolePage page = new ConsolePage(SERVER);

    private final Fixtures fixtures = new Fixtures(SERVER);
    private ChromeDriver browser;
    private WebDriverWait wait;
    private Org org;
    private String accountId;

    @BeforeEach
    void setUp() throws IOException {
        browser = page.browser();
        wait = page.waiting();
        org = page.organization("holds", "Holds Inc");
        accountId = fixtures.account(org);
        page.welcomeCredits(org, accountId);
    }

    @Test
    void anOperatorCapturesPartOfAHoldReleasesAnotherAndSeesARefusalOnThePage() throws IOException {
        String job = hold(300, "model call");
        String batch = hold(200, "batch job");
        String raced = hold(50, "export");
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "1,000 VC");
        page.waitForFigure("held", "550 VC");
        page.waitForFigure("available", "450 VC");

        browser.findElement(By.linkText("Holds →")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#holds caption"), "Page 1: 3 holds, newest first"));
        assertThat(page.text(By.cssSelector("tr[data-hold='" + job + "']"))).contains("held", "300", "model call");
        page.screenshot("holds");

        browser.findElement(By.cssSelector("a[aria-label='Hold " + job + "']")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Hold " + job));
        WebElement captureAmount = browser.findElement(By.id("capture-amount"));
        assertThat(captureAmount.getAttribute("value")).isEqualTo("300");
        captureAmount.clear();
        captureAmount.sendKeys("120");
        browser.findElement(By.xpath("//button[text()='Capture…']")).click();
        String effect = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-effect"))).getText();
        assertThat(effect).contains("debits 120 VC").contains("releases the other 180 VC")
                .contains("the balance goes from 1,000 to 880 VC").contains("available from 450 to 630 VC");
        page.screenshot("hold-capture-confirmation");
        browser.findElement(By.id("confirm-yes")).click();
        page.waitForField("state", "captured");
        assertThat(page.text(By.cssSelector("[data-field=captured]"))).isEqualTo("120 VC");
        assertThat(page.text(By.cssSelector("[data-field=usage]"))).isEqualTo(job);
        page.waitForFigure("balance", "880 VC");
        page.waitForFigure("held", "250 VC");
        page.waitForFigure("available", "630 VC");
        assertThat(page.text(By.id("main"))).contains("nothing to capture or release");
        page.screenshot("hold");
        assertThat(SERVER.storedBalance(accountId)).isEqualTo(880).isEqualTo(SERVER.ledgerSum(accountId));
        JsonNode debit = SERVER.admin().get(Fixtures.accountPath(org, accountId) + "/transactions?type=debit")
                .body().path("transactions").get(0);
        assertThat(debit.path("id").asText()).isEqualTo(job);
        assertThat(debit.path("amount").asText()).isEqualTo("120");

        // Cancelling the confirmation changes nothing; confirming releases.
        openHold(batch);
        browser.findElement(By.xpath("//button[text()='Release…']")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-effect"))).getText())
                .contains("releases all 200 VC").contains("available goes from 630 to 830 VC");
        browser.findElement(By.xpath("//dialog//button[text()='Cancel']")).click();
        assertThat(holdState(batch)).isEqualTo("held");
        browser.findElement(By.xpath("//button[text()='Release…']")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes"))).click();
        page.waitForField("state", "released");
        page.waitForFigure("available", "830 VC");
        assertThat(holdState(batch)).isEqualTo("released");

        // Captured by someone else while the page was open: Tally's refusal is shown, and the page
        // shows the hold as it now is.
        openHold(raced);
        Reply capture = SERVER.admin().post(holdsPath() + "/" + raced + "/capture", "{\"amount\":\"50\"}");
        assertThat(capture.status()).as(capture.toString()).isEqualTo(200);
        browser.findElement(By.xpath("//button[text()='Release…']")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes"))).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#hold-status .error"), "hold is captured"));
        assertThat(page.text(By.cssSelector("[data-field=state]"))).isEqualTo("captured");
        page.waitForFigure("balance", "830 VC");
        page.screenshot("hold-refused");
        assertThat(SERVER.storedBalance(accountId)).isEqualTo(830).isEqualTo(SERVER.ledgerSum(accountId));

        browser.findElement(By.partialLinkText("← Holds of")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#holds caption"), "Page 1: 3 holds, newest first"));
        new Select(browser.findElement(By.id("hold-state"))).selectByValue("captured");
        browser.findElement(By.xpath("//button[text()='Show']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#holds caption"), "Page 1: 2 holds, newest first"));
        assertThat(browser.findElements(By.cssSelector("tr[data-hold='" + batch + "']"))).isEmpty();
        assertThat(page.severeBrowserMessages()).isEmpty();
    }

    @Test
    void aCaptureTallyRefusesShowsItsMessageAndChangesNothing() {
        String job = hold(100, "model call");
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        openHold(job);
        // Expired at the server's clock after the page was shown: the capture is refused.
        SERVER.clock().advance(Duration.ofHours(2));
        browser.findElement(By.xpath("//button[text()='Capture…']")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes"))).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#hold-status .error"), "hold is expired"));
        assertThat(page.text(By.cssSelector("[data-field=state]"))).isEqualTo("expired");
        page.waitForFigure("available", "1,000 VC");
        assertThat(SERVER.storedBalance(accountId)).isEqualTo(1_000).isEqualTo(SERVER.ledgerSum(accountId));
    }

    @Test
    void aSlowAnswerForThePageTheOperatorLeftDoesNotReplaceThePageTheyMovedTo() {
        hold(10, "slow list");
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        // The holds list answers 1.5 s late; the script records when that late answer was handed over.
        browser.executeScript("""
                const realFetch = window.fetch;
                window.lateAnswersDone = 0;
                window.fetch = (url, options) => String(url).includes('/holds')
                    ? new Promise(resolve => setTimeout(resolve, 1500)).then(() => realFetch(url, options))
                        .finally(() => setTimeout(() => window.lateAnswersDone++, 500))
                    : realFetch(url, options);
                """);
        browser.executeScript("location.hash = arguments[0]", "#/orgs/" + org.id() + "/accounts/" + accountId + "/holds");
        browser.executeScript("location.hash = '#/webhooks'");
        page.waitForHeading("Webhooks");
        wait.until(driver -> ((Number) browser.executeScript("return window.lateAnswersDone")).intValue() > 0);
        assertThat(page.text(By.tagName("h1"))).isEqualTo("Webhooks");
        assertThat(browser.findElements(By.id("holds"))).isEmpty();
        assertThat(browser.findElement(By.id("main")).getAttribute("aria-busy")).isNull();
    }

    @Test
    void holdsArePagedAndFilteredByTheServer() {
        for (int i = 0; i < 27; i++) {
            hold(1, "item " + i);
            SERVER.clock().advance(Duration.ofSeconds(1));
        }
        String released = hold(5, "released one");
        assertThat(SERVER.admin().post(holdsPath() + "/" + released + "/release", "{}").status()).isEqualTo(200);
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId + "/holds");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#holds caption"), "Page 1: 25 holds, newest first"));
        assertThat(page.text(By.cssSelector("#main .pager"))).doesNotContain("last").contains("Next page");
        browser.findElement(By.linkText("Next page")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#main .pager"), "Page 2 (last)"));
        assertThat(browser.getCurrentUrl()).contains("page_token=");
        assertThat(browser.findElements(By.cssSelector("#holds tbody tr"))).hasSize(28 - 25);
        // The oldest hold is on the server's second page.
        assertThat(page.text(By.id("holds"))).contains("item 0");

        new Select(browser.findElement(By.id("hold-state"))).selectByValue("released");
        browser.findElement(By.xpath("//button[text()='Show']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#holds caption"), "Page 1: 1 hold, newest first"));
        assertThat(page.text(By.id("holds"))).contains("released one");
        assertThat(page.text(By.cssSelector("#main .pager"))).contains("Page 1 (last)");
    }

    @Test
    void aServiceUserReadsTheHoldsOfItsOrganizationAndCannotChangeThem() throws IOException {
        String job = hold(300, "model call");
        String basic = ServiceUsers.credential(SERVER, org);
        String decoded = new String(Base64.getDecoder().decode(basic.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        page.signIn(decoded.substring(0, decoded.indexOf(':')), decoded.substring(decoded.indexOf(':') + 1));
        openHold(job);

        assertThat(page.text(By.cssSelector("[data-field=amount]"))).isEqualTo("300 VC");
        page.waitForFigure("held", "300 VC");
        assertThat(browser.findElements(By.id("capture-amount"))).isEmpty();
        assertThat(browser.findElements(By.xpath("//button[text()='Release…']"))).isEmpty();
        assertThat(page.text(By.id("main"))).contains("Read-only: a service user's session cannot change anything.");
        assertThat(holdState(job)).isEqualTo("held");
    }

    @Test
    void everyHoldControlIsLabelledAndTheHoldPageFitsAPhone() {
        String job = hold(300, "model call");
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        openHold(job);
        Object unlabelled = browser.executeScript(
                "return [...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0)"
                        + ".map(e => e.id || e.name).concat([...document.querySelectorAll('button, a')]"
                        + ".filter(e => !(e.getAttribute('aria-label') || e.textContent).trim()).map(e => e.outerHTML));");
        assertThat((List<?>) unlabelled).isEmpty();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.navigate().refresh();
        page.waitForField("state", "held");
        Long overflow = (Long) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).as("page wider than a phone screen").isLessThanOrEqualTo(0L);
    }

    private String hold(long amount, String description) {
        String id = UUID.randomUUID().toString();
        Reply reply = SERVER.admin().post(holdsPath(), "{\"id\":\"" + id + "\",\"amount\":\"" + amount
                + "\",\"expires_in\":\"3600\",\"source\":\"jobs\",\"description\":\"" + description + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return id;
    }

    private String holdState(String id) {
        return SERVER.admin().get(holdsPath() + "/" + id).body().path("hold").path("state").asText();
    }

    private String holdsPath() {
        return Fixtures.accountPath(org, accountId) + "/holds";
    }

    private void openHold(String id) {
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId + "/holds/" + id);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Hold " + id));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-field=state]")));
    }






}
