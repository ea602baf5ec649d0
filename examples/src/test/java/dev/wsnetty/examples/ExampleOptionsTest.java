package dev.wsnetty.examples;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples' command-line options: defaults as in the original, both value forms, clear errors. */
class ExampleOptionsTest {
    @Test
    void serversListenOnEveryInterfaceAtPort8080ByDefault() throws UsageException {
        ExampleOptions options = ExampleOptions.parse(ExampleKind.BROADCAST_SERVER);
        assertEquals("0.0.0.0", options.host());
        assertEquals(8080, options.port());
        assertFalse(options.tls());
        assertFalse(options.help());
    }

    @Test
    void theClientConnectsToTheOriginalAddressByDefault() throws UsageException {
        assertEquals(URI.create("ws://127.0.0.1:8080/"), ExampleOptions.parse(ExampleKind.CHAT_CLIENT).url());
    }

    @Test
    void takesValuesAsTheNextArgumentOrAfterEquals() throws UsageException {
        ExampleOptions options = ExampleOptions.parse(ExampleKind.CHAT_SERVER, "--host", "127.0.0.1", "--port=9000");
        assertEquals("127.0.0.1", options.host());
        assertEquals(9000, options.port());
        assertEquals(URI.create("ws://example.org:81/"),
                ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--host=example.org", "--port", "81").url());
        assertEquals(URI.create("ws://[::1]:8080/"), ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--host", "::1").url());
    }

    @Test
    void theClientTakesAUrl() throws UsageException {
        assertEquals(URI.create("ws://localhost:9000/ws?room=1"),
                ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--url", "ws://localhost:9000/ws?room=1").url());
        ExampleOptions tls = ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--url=wss://example.org/", "--tls");
        assertTrue(tls.tls());
        assertEquals(URI.create("wss://example.org/"), tls.url());
    }

    @Test
    void theBroadcastServerTakesARedisUriToJoinACluster() throws UsageException {
        assertEquals(null, ExampleOptions.parse(ExampleKind.BROADCAST_SERVER).redis());
        assertEquals("redis://:pw@127.0.0.1:6379",
                ExampleOptions.parse(ExampleKind.BROADCAST_SERVER, "--redis", "redis://:pw@127.0.0.1:6379").redis());
        assertEquals("rediss://redis.example:6380",
                ExampleOptions.parse(ExampleKind.BROADCAST_SERVER, "--redis=rediss://redis.example:6380").redis());
        assertEquals("--redis is an option of broadcast-server", assertThrows(UsageException.class,
                () -> ExampleOptions.parse(ExampleKind.CHAT_SERVER, "--redis", "redis://x")).getMessage());
        assertTrue(assertThrows(UsageException.class,
                () -> ExampleOptions.parse(ExampleKind.BROADCAST_SERVER, "--redis", "http://x")).getMessage()
                .startsWith("--redis needs a Redis URI such as redis://127.0.0.1:6379: not a Redis URI: 'http://x'"));
    }

    @Test
    void helpAndTlsAreFlags() throws UsageException {
        assertTrue(ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--help").help());
        assertTrue(ExampleOptions.parse(ExampleKind.CHAT_SERVER, "-h").help());
        assertTrue(ExampleOptions.parse(ExampleKind.BROADCAST_SERVER, "--tls").tls());
        assertEquals(URI.create("wss://127.0.0.1:8080/"), ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--tls").url());
        assertTrue(ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--url", "wss://x/").tls(), "wss:// means TLS");
        ExampleOptions trusting = ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--trust", "dev.pem");
        assertTrue(trusting.tls());
        assertEquals(Path.of("dev.pem"), trusting.trust());
    }

    @Test
    void portZeroIsForServersOnly() throws UsageException {
        assertEquals(0, ExampleOptions.parse(ExampleKind.BROADCAST_SERVER, "--port", "0").port());
        assertError("--port needs a number from 1 to 65535, got \"0\"", ExampleKind.CHAT_CLIENT, "--port", "0");
    }

    @Test
    void saysWhatIsWrong() {
        assertError("--port needs a number from 0 to 65535, got \"80a\"", ExampleKind.CHAT_SERVER, "--port", "80a");
        assertError("--port needs a number from 0 to 65535, got \"65536\"", ExampleKind.CHAT_SERVER, "--port=65536");
        assertError("--port needs a value", ExampleKind.CHAT_SERVER, "--port");
        assertError("--host needs a value", ExampleKind.CHAT_SERVER, "--host", "--port", "1");
        assertError("unknown option \"--verbose\" for chat-server", ExampleKind.CHAT_SERVER, "--verbose");
        assertError("--url is an option of chat-client; a server takes --host and --port",
                ExampleKind.BROADCAST_SERVER, "--url", "ws://x/");
        assertError("--url needs a ws:// or wss:// URL, got \"http://x/\"", ExampleKind.CHAT_CLIENT, "--url", "http://x/");
        assertError("give either --url or --host/--port, not both", ExampleKind.CHAT_CLIENT,
                "--url", "ws://x/", "--port", "1");
        assertError("--tls and --trust go with a wss:// URL, plain connections with ws://", ExampleKind.CHAT_CLIENT,
                "--url", "ws://x/", "--tls");
        assertError("--cert and --key go together: the certificate chain and its private key (PEM)",
                ExampleKind.CHAT_SERVER, "--cert", "c.pem");
        assertError("--trust is an option of chat-client; the servers take --cert and --key",
                ExampleKind.CHAT_SERVER, "--trust", "c.pem");
        assertError("--cert is an option of the servers; chat-client takes --trust", ExampleKind.CHAT_CLIENT,
                "--cert", "c.pem");
        assertError("--tls takes no value", ExampleKind.CHAT_CLIENT, "--tls=yes");
    }

    @Test
    void namesTheExamples() throws UsageException {
        assertEquals(ExampleKind.BROADCAST_SERVER, ExampleKind.byCommandName("broadcast-server"));
        assertEquals(ExampleKind.CHAT_CLIENT, ExampleKind.byCommandName("Chat-Client"));
        assertEquals("unknown example \"echo\"",
                assertThrows(UsageException.class, () -> ExampleKind.byCommandName("echo")).getMessage());
    }

    private static void assertError(String message, ExampleKind kind, String... args) {
        assertEquals(message, assertThrows(UsageException.class, () -> ExampleOptions.parse(kind, args)).getMessage());
    }
}
