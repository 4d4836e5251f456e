package dev.tally.console;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * A headless Chromium for the console's browser tests: Debian's {@code chromium} driven through
 * its {@code chromedriver}, never a downloaded browser. Without them the tests skip, unless
 * {@value #REQUIRED_VARIABLE}=required (set by .ci/run), when they fail.
 */
final class Browser {
    static final String REQUIRED_VARIABLE = "TALLY_BROWSER_TESTS";
    private static final String CHROMIUM_DEFAULT = "/usr/bin/chromium";
    private static final String CHROMEDRIVER_DEFAULT = "/usr/bin/chromedriver";

    private Browser() {}

    static ChromeDriver start(int widthPixels, int heightPixels, Path downloads) {
        File chromium = executable("TALLY_CHROMIUM", CHROMIUM_DEFAULT);
        File chromedriver = executable("TALLY_CHROMEDRIVER", CHROMEDRIVER_DEFAULT);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + widthPixels + "," + heightPixels, "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(widthPixels, heightPixels));
        return driver;
    }

    private static File executable(String variable, String fallback) {
        File file = new File(Optional.ofNullable(System.getenv(variable)).orElse(fallback));
        if (!file.canExecute()) {
            String missing = file + " is not installed (apt-get install chromium chromium-driver; or set " + variable + ")";
            if ("required".equals(System.getenv(REQUIRED_VARIABLE))) {
                throw new IllegalStateException(REQUIRED_VARIABLE + "=required but " + missing);
            }
            Assumptions.abort("browser tests skipped: " + missing);
        }
        return file;
    }
}
