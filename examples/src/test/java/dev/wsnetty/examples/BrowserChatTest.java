package dev.wsnetty.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;

import static dev.wsnetty.examples.RunningExample.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person's first five minutes, in a real browser: headless Chromium opens the chat page served by a running
 * broadcast server, connects, and chats with a Java client through the server, both ways.
 */
class BrowserChatTest {
    @TempDir
    Path profile;

    @Test
    void aBrowserAndAJavaClientChatThroughTheBroadcastServer() throws Exception {
        ChromeDriver browser = Chromium.start(profile);
        try (RunningExample server = RunningExample.broadcastServer()) {
            CapturedLines console = server.console.out;
            browser.get("http://127.0.0.1:" + server.port() + "/");
            assertEquals("wsnetty chat", browser.getTitle());
            WebDriverWait wait = new WebDriverWait(browser, TIMEOUT);
            By box = By.id("messageBox");

            browser.findElement(By.id("connectBtn")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(box, "connection established"));
            String joined = console.awaitContaining("] joined the broadcast", TIMEOUT);
            String browserName = joined.substring(joined.indexOf('[') + 1, joined.indexOf(']'));
            assertTrue(browserName.matches("Anonymous at 127\\.0\\.0\\.1:\\d+"), browserName);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(box,
                    "Message from Server: [" + browserName + "] joined the broadcast"));

            try (Peer java = Peer.connect(server.url("/ws"))) {
                String javaName = "Anonymous at 127.0.0.1:" + java.localPort();
                java.await("[" + javaName + "] joined the broadcast", TIMEOUT);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(box,
                        "Message from Server: [" + javaName + "] joined the broadcast"));

                // Browser -> Java
                send(browser, "call me Browser");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(box, "Sent to Server: call me Browser"));
                java.await("[" + browserName + "] Changed their name to Browser", TIMEOUT);
                String browserAddress = browserName.substring("Anonymous at ".length());
                send(browser, "hello from the browser");
                java.await("[Browser at " + browserAddress + "] says: hello from the browser", TIMEOUT);

                // Java -> browser
                java.communicator.writeStringMessage("hello from Java");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(box,
                        "Message from Server: [" + javaName + "] says: hello from Java"));

                // The console reaches both.
                server.console.type("send hi everyone");
                java.await("[Server] says: hi everyone", TIMEOUT);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(box,
                        "Message from Server: [Server] says: hi everyone"));
            }
            wait.until(ExpectedConditions.textToBePresentInElementLocated(box, "] left the broadcast"));

            browser.findElement(By.id("disconnectBtn")).click();
            console.await("Broadcasting: [Browser at " + browserName.substring("Anonymous at ".length())
                    + "] left the broadcast", TIMEOUT);
        } finally {
            browser.quit();
        }
    }

    private static void send(ChromeDriver browser, String text) {
        WebElement input = browser.findElement(By.id("inpBox"));
        input.sendKeys(text);
        browser.findElement(By.id("sendBtn")).click();
    }
}
