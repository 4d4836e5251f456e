package dev.tally.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyServer;
import dev.tally.webhooks.Dispatcher;
import dev.tally.webhooks.DispatcherSettings;
import org.junit.jupiter.api.AfterEach;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhooks pages and the account page's balance alerts in a real Chromium: an operator creates
 * a webhook and sees its secret once, disables and enables it, sets a threshold that fires, reads
 * the delivery log, redelivers an event, and deletes the webhook after confirming.
 */
class ConsoleWebhooksBrowserTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    @RegisterExtension
    final ConsolePage page = new ConsolePage(SERVER);
    private static final DispatcherSettings FAST = DispatcherSettings.DEFAULTS
            .withPollInterval(Duration.ofMillis(20))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(6));

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final List<String> receivedBodies = new CopyOnWriteArrayList<>();
    private ChromeDriver browser;
    private WebDriverWait wait;
    private Server receiver;
    private Dispatcher dispatcher;
    private Org org;
    private String accountId;

    @BeforeEach
    void setUp() throws IOException {
        receiver = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0)
                .service("/hook", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(request -> {
                    receivedBodies.add(request.contentUtf8());
                    return HttpResponse.of(HttpStatus.OK);
                })))
                .build();
        receiver.start().join();
        dispatcher = SERVER.tally().webhooks().dispatcher(FAST).start();
        browser = page.browser();
        wait = page.waiting();
        org = page.organization("hooks", "Hooks Inc");
        accountId = fixtures.account(org);
        page.welcomeCredits(org, accountId);
    }

    @AfterEach
    void tearDown() {
        dispatcher.close();
        receiver.stop().join();
        // Other tests share the server: leave no webhook behind.
        for (JsonNode webhook : SERVER.admin().get("/v1beta1/admin/webhooks").body().path("webhooks")) {
            SERVER.admin().send("DELETE", "/v1beta1/admin/webhooks/" + webhook.path("id").asText(), null);
        }
    }

    @Test
    void anOperatorManagesAWebhookSeesAnAlertDeliveredRedeliversItAndDeletesTheWebhook() throws IOException {
        String url = "http://127.0.0.1:" + receiver.activeLocalPort() + "/hook";
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        browser.findElement(By.linkText("Webhooks")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Webhooks"));
        browser.findElement(By.id("webhook-url")).sendKeys(url);
        browser.findElement(By.id("webhook-description")).sendKeys("alerts to ops");
        browser.findElement(By.id("webhook-events")).sendKeys("app.billing.balance.threshold", Keys.ENTER);

        WebElement secret = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=webhook-secret]")));
        assertThat(secret.getText()).matches("1=[0-9a-f]{64}");
        assertThat(page.text(By.id("webhook-secret-box"))).contains("Copy the signing secret now")
                .contains("only time");
        page.screenshot("webhooks");
        JsonNode listed = SERVER.admin().get("/v1beta1/admin/webhooks").body().path("webhooks").get(0);
        String webhookId = listed.path("id").asText();
        assertThat(listed.path("url").asText()).isEqualTo(url);
        assertThat(listed.toString()).doesNotContain(secret.getText().substring(2));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("webhooks"), url));
        assertThat(browser.findElements(By.cssSelector("[data-testid=webhook-secret]"))).isEmpty();

        // Disable, then enable: the state is Tally's, and the rest of the configuration is kept.
        browser.findElement(By.xpath("//button[text()='Disable']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-webhook='" + webhookId + "']"), "disabled"));
        JsonNode disabled = SERVER.admin().get("/v1beta1/admin/webhooks").body().path("webhooks").get(0);
        assertThat(disabled.path("state").asText()).isEqualTo("disabled");
        assertThat(disabled.path("subscribed_events").get(0).asText()).isEqualTo("app.billing.balance.threshold");
        assertThat(disabled.path("description").asText()).isEqualTo("alerts to ops");
        browser.findElement(By.xpath("//button[text()='Enable']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-webhook='" + webhookId + "']"), "enabled"));

        // A threshold set on the account page fires when usage takes the balance below it.
        browser.get(SERVER.uri() + "console/#/orgs/" + org.id() + "/accounts/" + accountId);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-figure=balance]"), "1,000 VC"));
        browser.findElement(By.id("alert-thresholds")).sendKeys("700", Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".actions"),
                "Alerts set"));
        assertThat(fixtures.reportUsage(SERVER.admin(), org, accountId, UUID.randomUUID().toString(), 400).status())
                .isEqualTo(200);
        wait.until(driver -> receivedBodies.size() == 1);
        assertThat(receivedBodies.get(0)).contains("app.billing.balance.threshold");

        browser.get(SERVER.uri() + "console/#/webhooks/" + webhookId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deliveries"), "delivered"));
        assertThat(page.text(By.id("deliveries"))).contains("app.billing.balance.threshold");
        page.screenshot("webhook-deliveries");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("delivery-state"))).selectByValue("failed");
        browser.findElement(By.xpath("//button[text()='Show']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#deliveries caption"), "Page 1: 0 deliveries"));
        browser.findElement(By.linkText("← Webhooks")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Webhooks"));
        browser.get(SERVER.uri() + "console/#/webhooks/" + webhookId + "?state=delivered");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deliveries"), "delivered"));
        browser.findElement(By.cssSelector("#deliveries button")).click();
        wait.until(driver -> receivedBodies.size() == 2);
        assertThat(receivedBodies.get(1)).isEqualTo(receivedBodies.get(0));

        // Delete asks first; cancelling keeps the webhook.
        browser.get(SERVER.uri() + "console/#/webhooks");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("webhooks"), url));
        browser.findElement(By.xpath("//button[text()='Delete…']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(SERVER.admin().get("/v1beta1/admin/webhooks").body().path("webhooks")).hasSize(1);
        browser.findElement(By.xpath("//button[text()='Delete…']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#webhooks caption"), "0 webhook(s)"));
        assertThat(SERVER.admin().get("/v1beta1/admin/webhooks").body().path("webhooks")).isEmpty();
    }

    @Test
    void aRefusedWebhookShowsTallysMessage() {
        page.signIn(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
        browser.get(SERVER.uri() + "console/#/webhooks");
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Webhooks"));
        browser.findElement(By.id("webhook-url")).sendKeys("http://127.0.0.1:9/hook");
        browser.findElement(By.id("webhook-events")).sendKeys("app.billing.no.such", Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form .error")));
        assertThat(page.text(By.cssSelector("form .error"))).contains("app.billing.no.such");
        assertThat(SERVER.admin().get("/v1beta1/admin/webhooks").body().path("webhooks")).isEmpty();
    }


    private String adminPath() {
        return Fixtures.accountPath(org, accountId).replace("/v1beta1/", "/v1beta1/admin/");
    }


}
