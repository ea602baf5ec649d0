package dev.wsnetty.examples;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The system's headless Chromium, driven by Selenium through the system's chromedriver (Debian's {@code chromium}
 * and {@code chromium-driver}, which {@code .ci/run} installs). Both paths are given explicitly, so Selenium
 * Manager never looks for, let alone downloads, a browser or driver.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * Starts a headless browser with a fresh profile in {@code profile}. Without the packages the test fails in CI
     * ({@code CI=true}) and is skipped, with the reason printed, elsewhere.
     */
    static ChromeDriver start(Path profile) {
        for (Path executable : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(executable)) {
                String why = executable + " is missing: install the Debian packages chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run does this in CI)";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    Assertions.fail(why);
                }
                System.out.println("Skipping the browser test: " + why);
                Assumptions.abort(why);
            }
        }
        // Both paths are given, but say it twice: Selenium Manager must stay out of it.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath());
        return new ChromeDriver(service, options);
    }
}
