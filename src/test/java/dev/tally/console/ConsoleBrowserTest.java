package dev.tally.console;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium (DESIGN §16, issue 15's "done when"): an operator finds an
 * organization, reverts a usage partly, is refused a second revert with Tally's own message, and
 * grants credits; a service user sees its organization read-only. Screenshots of the main pages go
 * to target/console-screenshots (copied into docs/console/ by hand when the pages change).
 */
class ConsoleBrowserTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    @RegisterExtension
    final ConsolePage page = new ConsolePage(SERVER);

    private final Fixtures fixtures = new Fixtures(SERVER);
    private ChromeDriver browser;
    private WebDriverWait wait;
    private Path downloads;
    private Org org;
    private String accountId;
    private final String usageId = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() throws IOException {
        downloads = page.downloads();
        browser = page.browser();
        wait = page.waiting();
        org = page.organization("acme", "Acme Corporation");
        page.organization("globex", "Globex");
        page.organization("initech", "Initech");
        accountId = fixtures.account(org);
        page.welcomeCredits(org, accountId);
        SERVER.clock().advance(Duration.ofDays(1));
        usage(usageId, "api", 100, "call");
        usage(UUID.randomUUID().toString(), "storage", 40, "disk");
        SERVER.clock().advance(Duration.ofDays(1));
        usage(UUID.randomUUID().toString(), "compute", 60, "batch job");
        usage(UUID.randomUUID().toString(), "api", 25, "call");
        SERVER.clock().advance(Duration.ofDays(1));
        usage(UUID.randomUUID().toString(), "api", 35, "call");
    }

    private void usage(String id, String source, long amount, String description) {
        Reply reply = SERVER.admin().post(Fixtures.accountPath(org, accountId) + "/usages",
                "{\"usages\":[{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"source\":\"" + source
                        + "\",\"description\":\"" + description + "\",\"user_id\":\"user-42\"}]}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void anOperatorFindsTheAccountRevertsAUsagePartlyIsRefusedASecondTimeAndGrantsCredits() throws IOException {
        signInWithTheKeyboard(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        page.waitForHeading("Organizations");
        browser.findElement(By.id("org-search")).sendKeys(org.name(), Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("table caption"), "1 organization(s)"));
        page.screenshot("organizations");
        browser.findElement(By.linkText(org.name())).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("main")));
        page.screenshot("organization");
        browser.findElement(By.linkText("main")).click();
        page.waitForFigure("balance", "740 VC");
        String chartBefore = page.text(By.cssSelector("[data-testid=balance-chart-summary]"));
        assertThat(chartBefore).startsWith("Now 740 VC");
        assertThat(page.text(By.cssSelector("[data-testid=usage-chart-summary]"))).isEqualTo("260 VC used over 3 day(s).");
        page.screenshot("account");

        openRevert().clear();
        browser.findElement(By.id("revert-amount")).sendKeys("30");
        assertThat(page.text(By.id("revert-effect"))).contains("the balance goes from 740 to 770 VC")
                .contains("the other 70 can never be reverted");
        page.screenshot("revert-confirmation");
        browser.findElement(By.xpath("//button[text()='Confirm revert']")).click();
        page.waitForFigure("balance", "770 VC");
        assertThat(page.text(By.cssSelector("tr[data-entry='" + usageId + "']"))).contains("reverted 30");
        assertThat(page.text(By.id("transactions"))).contains("system.revert.api").contains("+30");
        browser.executeScript("document.getElementById('tx-title').scrollIntoView()");
        page.screenshot("transactions");

        openRevert();
        browser.findElement(By.xpath("//button[text()='Confirm revert']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("revert-error"), "usage already reverted"));
        page.screenshot("revert-refused");
        assertThat(fixtures.balance(org, accountId)).isEqualTo(770);
        browser.findElement(By.xpath("//dialog//button[text()='Cancel']")).click();

        browser.findElement(By.id("grant-amount")).sendKeys("500");
        browser.findElement(By.id("grant-description")).sendKeys("goodwill", Keys.ENTER);
        page.waitForFigure("balance", "1,270 VC");
        assertThat(page.text(By.cssSelector("[data-testid=balance-chart-summary]")))
                .isNotEqualTo(chartBefore).startsWith("Now 1,270 VC");
        assertThat(SERVER.storedBalance(accountId)).isEqualTo(1_270).isEqualTo(SERVER.ledgerSum(accountId));
        assertThat(page.severeBrowserMessages()).isEmpty();
    }

    @Test
    void theTransactionsDownloadAsCsvAndFilterBySource() throws IOException, InterruptedException {
        signInWithTheKeyboard(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        page.waitForHeading("Organizations");
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "740 VC");
        browser.findElement(By.xpath("//button[starts-with(text(), 'Download CSV')]")).click();
        List<String> csv = downloadedLines();
        // The server's export: its header row and every entry, not just the page shown.
        assertThat(csv.get(0)).startsWith("id,").contains("amount", "source", "reverted_usage_id");
        assertThat(csv).hasSize(7).anySatisfy(line -> assertThat(line).startsWith(usageId + ",").contains("api"));

        // The filter is the server's: the table and the CSV both hold only the storage entry.
        browser.findElement(By.id("filter-source")).sendKeys("storage", Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#transactions caption"), "Page 1: 1 entry, newest first"));
        assertThat(page.text(By.id("transactions"))).contains("disk").doesNotContain("call");
        try (Stream<Path> files = Files.list(downloads)) {
            files.forEach(f -> f.toFile().delete());
        }
        browser.findElement(By.xpath("//button[starts-with(text(), 'Download CSV')]")).click();
        List<String> filtered = downloadedLines();
        assertThat(filtered).hasSize(2);
        assertThat(filtered.get(1)).contains("storage").contains("disk");
    }

    @Test
    void anOperatorSetsCreditMinDisablesAndEnablesTheAccountAndRevertsAWholeUsage() {
        signInWithTheKeyboard(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        page.waitForHeading("Organizations");
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "740 VC");

        WebElement creditMin = browser.findElement(By.id("credit-min"));
        creditMin.clear();
        creditMin.sendKeys("-200", Keys.ENTER);
        page.waitForFigure("credit-min", "-200 VC");
        assertThat(SERVER.admin().get(adminPath() + "/details").body().path("credit_min").asText()).isEqualTo("-200");

        browser.findElement(By.xpath("//button[text()='Disable account']")).click();
        page.waitForFigure("state", "disabled");
        assertThat(fixtures.reportUsage(SERVER.admin(), org, accountId, UUID.randomUUID().toString(), 1).status())
                .isEqualTo(400);
        openRevert();
        assertThat(browser.findElement(By.id("revert-amount")).getAttribute("value")).isEqualTo("100");
        assertThat(page.text(By.id("revert-effect"))).contains("the balance goes from 740 to 840 VC")
                .contains("This is the whole usage.");
        browser.findElement(By.xpath("//button[text()='Confirm revert']")).click();
        page.waitForFigure("balance", "840 VC");
        browser.findElement(By.xpath("//button[text()='Enable account']")).click();
        page.waitForFigure("state", "active");
        assertThat(fixtures.reportUsage(SERVER.admin(), org, accountId, UUID.randomUUID().toString(), 1).status())
                .isEqualTo(200);
    }

    @Test
    void longHistoriesArePagedAndARefusedChangeShowsTallysMessage() {
        StringBuilder usages = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            usages.append(i == 0 ? "" : ",").append("{\"id\":\"").append(UUID.randomUUID())
                    .append("\",\"amount\":\"1\",\"source\":\"batch\",\"description\":\"item ").append(i).append("\"}");
        }
        Reply batch = SERVER.admin().post(Fixtures.accountPath(org, accountId) + "/usages", "{\"usages\":[" + usages + "]}");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        signInWithTheKeyboard(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        page.waitForHeading("Organizations");
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "710 VC");

        assertThat(browser.findElements(By.cssSelector("#transactions tbody tr"))).hasSize(25);
        assertThat(page.text(By.cssSelector("#main .pager"))).startsWith("Page 1").doesNotContain("last").contains("Next page");
        String requestsBefore = browser.getCurrentUrl();
        browser.findElement(By.linkText("Next page")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#main .pager"), "Page 2 (last)"));
        assertThat(browser.getCurrentUrl()).isNotEqualTo(requestsBefore).contains("page_token=");
        assertThat(browser.findElements(By.cssSelector("#transactions tbody tr"))).hasSize(36 - 25);
        // The oldest entry (the welcome grant) is on the server's second page.
        assertThat(page.text(By.id("transactions"))).contains("Welcome credits");
        browser.findElement(By.linkText("First page")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#main .pager"), "Page 1"));
        assertThat(browser.findElements(By.cssSelector("#transactions tbody tr"))).hasSize(25);

        // A grant Tally refuses (source over 255 characters) shows Tally's own message and changes nothing.
        WebElement amount = browser.findElement(By.id("grant-amount"));
        amount.sendKeys("5");
        WebElement source = browser.findElement(By.id("grant-source"));
        source.clear();
        source.sendKeys("x".repeat(300), Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".actions .error"), "source"));
        assertThat(fixtures.balance(org, accountId)).isEqualTo(710);
    }

    @Test
    void organizationsAreSearchedAndPaged() {
        String prefix = "zeta" + UUID.randomUUID().toString().substring(0, 4);
        for (int i = 0; i < 25; i++) {
            page.organization(prefix, "Zeta " + i);
        }
        signInWithTheKeyboard(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        page.waitForHeading("Organizations");
        browser.findElement(By.id("org-search")).sendKeys(prefix, Keys.ENTER);

        wait.until(ExpectedConditions.textToBe(By.cssSelector("table caption"), "25 organization(s)"));
        assertThat(browser.findElements(By.cssSelector("tbody tr"))).hasSize(20);
        assertThat(page.text(By.cssSelector("#main .pager"))).contains("Page 1 of 2");
        browser.findElement(By.linkText("Next page")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#main .pager"), "Page 2 of 2"));
        assertThat(browser.findElements(By.cssSelector("tbody tr"))).hasSize(5);
        assertThat(page.text(By.tagName("tbody"))).contains(prefix + "-");
    }

    @Test
    void aServiceUserSeesItsOrganizationReadOnly() throws IOException {
        String basic = ServiceUsers.credential(SERVER, org);
        String decoded = new String(java.util.Base64.getDecoder().decode(basic.substring(6)),
                java.nio.charset.StandardCharsets.UTF_8);
        signInWithTheKeyboard(decoded.substring(0, decoded.indexOf(':')), decoded.substring(decoded.indexOf(':') + 1));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("main"))).click();
        page.waitForFigure("balance", "740 VC");

        assertThat(browser.findElements(By.cssSelector("button[data-revert]"))).isEmpty();
        assertThat(browser.findElements(By.id("grant-amount"))).isEmpty();
        assertThat(page.text(By.id("main"))).contains("Read-only: a service user's session cannot change anything.");
        assertThat(page.text(By.id("who"))).contains("Service user (read-only)");
        page.screenshot("account-service-user");
    }

    @Test
    void everyControlIsLabelledReachableByKeyboardAndFitsAPhone() throws IOException {
        signInWithTheKeyboard(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        page.waitForHeading("Organizations");
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        page.waitForFigure("balance", "740 VC");

        Object unlabelled = browser.executeScript(
                "return [...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0)"
                        + ".map(e => e.id || e.name).concat([...document.querySelectorAll('button, a')]"
                        + ".filter(e => !(e.getAttribute('aria-label') || e.textContent).trim()).map(e => e.outerHTML));");
        assertThat((List<?>) unlabelled).isEmpty();
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            reached.add((String) browser.executeScript(
                    "const e = document.activeElement; return e.id || e.getAttribute('data-revert') || e.textContent;"));
        }
        assertThat(reached).contains("grant-amount", "credit-min", "filter-source", usageId)
                .anySatisfy(name -> assertThat(name).startsWith("Download CSV"));

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.navigate().refresh();
        page.waitForFigure("balance", "740 VC");
        Long overflow = (Long) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).as("page wider than a phone screen").isLessThanOrEqualTo(0L);
        page.screenshot("account-phone");
    }

    private void signInWithTheKeyboard(String clientId, String secret) {
        browser.get(SERVER.uri() + "console");
        WebElement id = wait.until(ExpectedConditions.elementToBeClickable(By.id("client-id")));
        id.sendKeys(clientId, Keys.TAB);
        browser.switchTo().activeElement().sendKeys(secret, Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "Sign out"));
    }

    private String adminPath() {
        return Fixtures.accountPath(org, accountId).replace("/v1beta1/", "/v1beta1/admin/");
    }

    private WebElement openRevert() {
        browser.findElement(By.cssSelector("button[data-revert='" + usageId + "']")).click();
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("revert-amount")));
    }




    private List<String> downloadedLines() throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> csv = files.filter(f -> f.toString().endsWith(".csv")).toList();
                if (!csv.isEmpty()) {
                    return Files.readAllLines(csv.get(0));
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no CSV was downloaded into " + downloads);
    }


}
