package dev.tally.console;

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
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grants pages in a real Chromium (DESIGN §13, §16): an account's grants in the order debits
 * spend them, with what remains of each after a usage that spans two of them; a grant shown as
 * expired once the server's clock passes its expires_at; which grants a usage spent; credits with
 * an expiry and a priority from the account page, and Tally's refusal of a bad priority shown
 * there; a service user reads grants and allocations.
 */
class ConsoleGrantsBrowserTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    @RegisterExtension
    final ConsolePage page = new ConsolePage(SERVER);

    private ChromeDriver browser;
    private WebDriverWait wait;
    private Org org;
    private String accountId;
    private String trial;
    private String promo;
    private String paid;

    @BeforeEach
    void setUp() throws IOException {
        browser = page.browser();
        wait = page.waiting();
        org = page.organization("grants", "Grants Inc");
        accountId = new Fixtures(SERVER).account(org);
        // Made in an order unlike the spending order (and the server lists newest first): spent trial
        // (priority 10), then promo (50, expires), then paid (50, never).
        trial = grant(300, in(Duration.ofHours(1)), 10, "Trial");
        paid = grant(500, null, null, "Paid credits");
        promo = grant(200, in(Duration.ofHours(2)), null, "Promo");
    }

    @Test
    void grantsAreListedInSpendingOrderWithWhatRemainsAndAnExpiredGrantShowsAsExpired() throws IOException {
        use(400); // 300 from trial, 100 from promo
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "600 VC");
        browser.findElement(By.linkText("Grants →")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#grants caption"),
                "3 grants, in the order debits spend them"));
        assertThat(grantOrder()).containsExactly(trial, promo, paid);
        assertThat(page.text(By.cssSelector("[data-remaining='" + trial + "']"))).isEqualTo("0");
        assertThat(page.text(By.cssSelector("[data-remaining='" + promo + "']"))).isEqualTo("100");
        assertThat(page.text(By.cssSelector("[data-remaining='" + paid + "']"))).isEqualTo("500");
        assertThat(state(trial)).isEqualTo("spent");
        assertThat(state(promo)).isEqualTo("active");
        assertThat(page.text(By.cssSelector("tr[data-grant='" + trial + "']"))).contains("300", "10", "Trial");
        assertThat(page.text(By.cssSelector("tr[data-grant='" + paid + "']"))).contains("never", "Paid credits");

        // Past the promo's expires_at on the server's clock (within the session's idle time): shown
        // as expired, and its remaining no longer counted.
        SERVER.clock().advance(Duration.ofHours(3));
        while (SERVER.tally().grantExpiry().expireDue(100) > 0) {
            // until nothing is due
        }
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-grant-state='" + promo + "']"), "expired"));
        page.waitForFigure("balance", "500 VC");
        assertThat(grantOrder()).containsExactly(trial, promo, paid);
        assertThat(state(paid)).isEqualTo("active");
        page.screenshot("grants");
        assertThat(SERVER.storedBalance(accountId)).isEqualTo(500).isEqualTo(SERVER.ledgerSum(accountId));
        assertThat(page.severeBrowserMessages()).isEmpty();
    }

    @Test
    void aUsagesPageShowsWhichGrantsPaidHowMuch() throws IOException {
        String usage = use(400);
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-entry='" + usage + "']")));
        row.findElement(By.linkText("Grants spent")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#allocations caption"),
                "400 spent from 2 grants, in spending order"));
        assertThat(browser.findElements(By.cssSelector("#allocations tbody tr")).stream()
                .map(r -> r.getAttribute("data-allocation")).toList()).containsExactly(trial, promo);
        assertThat(page.text(By.cssSelector("tr[data-allocation='" + trial + "']"))).contains("Trial", "300");
        assertThat(page.text(By.cssSelector("tr[data-allocation='" + promo + "']"))).contains("Promo", "100");
        page.screenshot("allocations");
        assertThat(page.severeBrowserMessages()).isEmpty();
    }

    @Test
    void creditsWithAnExpiryAndAPriorityFromTheAccountPageAndTallysRefusalShown() {
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "1,000 VC");
        long entries = SERVER.entryCount(accountId);
        String refusal = SERVER.admin().post(creditsPath(), "{\"amount\":\"50\",\"priority\":101}").body()
                .path("message").asText();
        assertThat(refusal).isNotBlank();

        browser.findElement(By.id("grant-amount")).sendKeys("50");
        browser.findElement(By.id("grant-description")).sendKeys("Launch week");
        browser.findElement(By.id("grant-priority")).sendKeys("101");
        browser.findElement(By.xpath("//button[text()='Grant credits']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".actions .error"), refusal));
        assertThat(SERVER.entryCount(accountId)).isEqualTo(entries);

        WebElement priority = browser.findElement(By.id("grant-priority"));
        priority.clear();
        priority.sendKeys("5");
        String expires = in(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS).toString();
        browser.findElement(By.id("grant-expires")).sendKeys(expires);
        browser.findElement(By.xpath("//button[text()='Grant credits']")).click();
        page.waitForFigure("balance", "1,050 VC");

        browser.findElement(By.linkText("Grants →")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#grants caption"),
                "4 grants, in the order debits spend them"));
        WebElement first = browser.findElement(By.cssSelector("#grants tbody tr"));
        assertThat(first.getText()).contains("Launch week", "50", "5", expires.replace("T", " ").replace("Z", " UTC"));
        assertThat(grantOrder().subList(1, 4)).containsExactly(trial, promo, paid);
    }

    @Test
    void aServiceUserReadsGrantsAndAllocations() {
        String usage = use(400);
        String basic = ServiceUsers.credential(SERVER, org);
        String decoded = new String(Base64.getDecoder().decode(basic.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        page.signIn(decoded.substring(0, decoded.indexOf(':')), decoded.substring(decoded.indexOf(':') + 1));
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId + "/grants");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#grants caption"),
                "3 grants, in the order debits spend them"));
        assertThat(grantOrder()).containsExactly(trial, promo, paid);
        assertThat(browser.findElements(By.cssSelector("#main button"))).isEmpty();
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId + "/transactions/" + usage);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#allocations caption"),
                "400 spent from 2 grants, in spending order"));
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "600 VC");
        assertThat(browser.findElements(By.id("grant-amount"))).isEmpty();
        assertThat(browser.findElements(By.id("grant-priority"))).isEmpty();
    }

    private static Instant in(Duration duration) {
        return SERVER.clock().instant().plus(duration);
    }

    private String creditsPath() {
        return Fixtures.accountPath(org, accountId).replace("/v1beta1/", "/v1beta1/admin/") + "/credits";
    }

    private String grant(long amount, Instant expiresAt, Integer priority, String description) {
        String id = UUID.randomUUID().toString();
        Reply reply = SERVER.admin().post(creditsPath(), "{\"id\":\"" + id + "\",\"amount\":\"" + amount
                + "\",\"source\":\"promo\",\"description\":\"" + description + "\""
                + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"")
                + (priority == null ? "" : ",\"priority\":" + priority) + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        SERVER.clock().advance(Duration.ofSeconds(1));
        return id;
    }

    private String use(long amount) {
        String id = UUID.randomUUID().toString();
        Reply reply = SERVER.admin().post(Fixtures.accountPath(org, accountId) + "/usages",
                "{\"usages\":[{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"source\":\"api\"}]}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return id;
    }

    private List<String> grantOrder() {
        return browser.findElements(By.cssSelector("#grants tbody tr")).stream()
                .map(row -> row.getAttribute("data-grant")).toList();
    }

    private String state(String grantId) {
        return page.text(By.cssSelector("[data-grant-state='" + grantId + "']"));
    }





}
