package dev.wsnetty.netty.interop;

import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.PeerProcess;
import dev.wsnetty.netty.testing.PythonWebsockets;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireTap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.wsnetty.netty.interop.DeflateInterop.lines;
import static dev.wsnetty.netty.interop.DeflateInterop.shapes;
import static dev.wsnetty.netty.testing.WireTap.Direction.TO_CLIENT;
import static dev.wsnetty.netty.testing.WireTap.Direction.TO_SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed messages between us and python-websockets (Debian's {@code python3-websockets}, which compresses every
 * message once permessage-deflate is agreed, and agrees by default), both ways and in both our modes, through a
 * {@link WireTap} that reads RSV1 off the wire: every message must arrive intact, and go compressed where the
 * sender compresses it (ours: at 256 bytes and more). Skipped, with the reason printed, without the package.
 */
class PythonWebsocketsCompressionTest {
    private static final Duration PYTHON_LIMIT = Duration.ofSeconds(30);

    @BeforeEach
    void assumePython() throws InterruptedException {
        String missing = PythonWebsockets.whyUnavailable();
        if (missing != null) {
            System.out.println("SKIPPED python-websockets compression interop: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"LEAN", "CONTEXT_TAKEOVER"})
    void pythonClientToOurServer(CompressionMode mode) throws Exception {
        try (TestServer server = TestServer.start(new EchoEndpoint(), DeflateInterop.config(mode));
             WireTap tap = WireTap.to(server.port())) {
            List<String> out = PythonWebsockets.run("python_websockets_deflate_client.py", PYTHON_LIMIT,
                    tap.uri("/").toString());
            String noContext = mode == CompressionMode.LEAN ? "True" : "False";
            assertEquals(List.of("AGREED " + noContext + " " + noContext, "ECHOED 0", "ECHOED 1", "ECHOED 2",
                    "ECHOED 3"), out);

            // python-websockets sends the three fragments and an empty last frame.
            assertEquals(lines("text compressed 1", "binary compressed 1", "text compressed n", "text compressed 1"),
                    shapes(tap.messages(TO_SERVER), false), "python's messages on the wire");
            assertTrue(tap.messages(TO_SERVER).get(2).frames() >= 3);
            List<WireTap.Message> echoes = tap.messages(TO_CLIENT);
            // Ours echoes the fragmented message whole, in one frame; the short text goes under the threshold.
            assertEquals(lines("text compressed 1", "binary compressed 1", "text compressed 1", "text plain 1"),
                    shapes(echoes, true), "our echoes on the wire");
            assertTrue(echoes.get(0).payloadLength() < 4000 / 3, "4000 characters compressed to "
                    + echoes.get(0).payloadLength() + " bytes");
            assertEquals(DeflateInterop.SHORT_TEXT.length(), echoes.get(3).payloadLength());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"LEAN", "CONTEXT_TAKEOVER"})
    void ourClientToPythonServer(CompressionMode mode) throws Exception {
        Path script = Path.of(getClass().getResource("/peers/python_websockets_deflate_echo.py").toURI());
        try (PeerProcess python = PeerProcess.start(List.of(PythonWebsockets.PYTHON, script.toString()));
             WireTap tap = WireTap.to(python.port())) {
            DeflateInterop.ourClientExchange(tap.uri("/"), mode);

            // Ours compresses from 256 bytes, the stream as it goes (its frames are ours to choose).
            assertEquals(lines("text compressed 1", "binary compressed 1", "binary compressed n", "text plain 1",
                    "text plain 1"), shapes(tap.messages(TO_SERVER), false), "our messages on the wire");
            assertTrue(tap.messages(TO_SERVER).get(2).frames() > 1, "the stream went in several frames");
            assertEquals(lines("text compressed 1", "binary compressed 1", "binary compressed 1", "text compressed n",
                    "text compressed 1"), shapes(tap.messages(TO_CLIENT), false), "python's echoes on the wire");
            assertTrue(tap.messages(TO_CLIENT).get(3).frames() >= 3);
        }
    }
}
