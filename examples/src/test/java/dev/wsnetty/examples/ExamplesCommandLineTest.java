package dev.wsnetty.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar's entry point: usage, errors and exit statuses, before any example runs. */
class ExamplesCommandLineTest {
    private final ScriptedConsole console = new ScriptedConsole();

    private int run(String... args) {
        return Examples.run(console.console, false, args);
    }

    @Test
    void helpListsTheExamplesAndOptions() {
        assertEquals(0, run("--help"));
        String usage = String.join("\n", console.out.lines());
        assertTrue(usage.startsWith("Usage: java -jar wsnetty-examples.jar <example> [options]"), usage);
        for (String expected : new String[] {"broadcast-server", "chat-server", "chat-client", "--host HOST",
                "--port PORT", "--url URL", "--tls", "--cert FILE", "--key FILE", "--trust FILE", "--help"}) {
            assertTrue(usage.contains(expected), expected + " missing from " + usage);
        }
    }

    @Test
    void helpAfterTheExampleNameToo() {
        assertEquals(0, run("chat-client", "--help"));
        assertEquals(Examples.usage(), String.join(System.lineSeparator(), console.out.lines()));
    }

    @Test
    void noExampleIsAUsageError() {
        assertEquals(2, run());
        assertTrue(console.err.lines().get(0).startsWith("Which example? Usage: "), console.err.lines().toString());
    }

    @Test
    void anUnknownExampleOrOptionIsAUsageError() {
        assertEquals(2, run("echo-server"));
        assertEquals("Error: unknown example \"echo-server\"", console.err.lines().get(0));
        assertEquals(2, run("chat-server", "--port", "x"));
        assertTrue(console.err.lines().contains("Error: --port needs a number from 0 to 65535, got \"x\""),
                console.err.lines().toString());
    }

    @Test
    void aMissingCertificateFileIsReportedByName() {
        assertEquals(1, run("broadcast-server", "--port", "0", "--cert", "no-such-cert.pem", "--key", "no-such-key.pem"));
        assertTrue(console.err.lines().get(0).startsWith("Error: ") && console.err.lines().get(0).contains("no-such-cert.pem"),
                console.err.lines().toString());
        assertTrue(console.out.lines().isEmpty(), "nothing ran");
    }
}
