package dev.wsnetty.netty.interop;

import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.NodeWs;
import dev.wsnetty.netty.testing.PeerProcess;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireTap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static dev.wsnetty.netty.interop.DeflateInterop.lines;
import static dev.wsnetty.netty.interop.DeflateInterop.shapes;
import static dev.wsnetty.netty.testing.WireTap.Direction.TO_CLIENT;
import static dev.wsnetty.netty.testing.WireTap.Direction.TO_SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed messages between us and node's {@code ws} with {@code perMessageDeflate: true} (installed by
 * {@link NodeWs} at test time), both ways and in both our modes,
 * through a {@link WireTap} that reads RSV1 off the wire: every message must arrive intact and go compressed where
 * its sender compresses it.
 */
class NodeWsCompressionTest {
    private static final Duration NODE_LIMIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"LEAN", "CONTEXT_TAKEOVER"})
    void nodeClientToOurServer(CompressionMode mode) throws Exception {
        try (TestServer server = TestServer.start(new EchoEndpoint(), DeflateInterop.config(mode));
             WireTap tap = WireTap.to(server.port())) {
            List<String> out = PeerProcess.run(NodeWs.command("node_ws_deflate_client.js", tap.uri("/").toString()),
                    NodeWs.environment(), NODE_LIMIT);
            String answer = mode == CompressionMode.LEAN
                    ? "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
                    : "permessage-deflate";
            assertEquals(List.of("AGREED " + answer, "ECHOED 0", "ECHOED 1", "ECHOED 2", "ECHOED 3"), out);

            assertEquals(lines("text compressed 1", "binary compressed 1", "text compressed 3",
                    "text " + nodeShortText(mode) + " 1"), shapes(tap.messages(TO_SERVER), true),
                    "node's messages on the wire");
            List<WireTap.Message> echoes = tap.messages(TO_CLIENT);
            assertEquals(lines("text compressed 1", "binary compressed 1", "text compressed 1", "text plain 1"),
                    shapes(echoes, true), "our echoes on the wire");
            assertTrue(echoes.get(0).payloadLength() < 4000 / 3, "4000 characters compressed to "
                    + echoes.get(0).payloadLength() + " bytes");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"LEAN", "CONTEXT_TAKEOVER"})
    void ourClientToNodeServer(CompressionMode mode) throws Exception {
        try (PeerProcess node = PeerProcess.start(NodeWs.command("node_ws_deflate_echo.js"), NodeWs.environment());
             WireTap tap = WireTap.to(node.port())) {
            DeflateInterop.ourClientExchange(tap.uri("/"), mode);

            assertEquals(lines("text compressed 1", "binary compressed 1", "binary compressed n", "text plain 1",
                    "text plain 1"), shapes(tap.messages(TO_SERVER), false), "our messages on the wire");
            assertEquals(lines("text compressed 1", "binary compressed 1", "binary compressed 1", "text compressed 3",
                    "text " + nodeShortText(mode) + " 1"), shapes(tap.messages(TO_CLIENT), true),
                    "node's echoes on the wire");
        }
    }

    /**
     * How node sends "a short text": ws applies its threshold (1024 bytes) only where its compressor resets after
     * each message (no context takeover, our lean mode), and compresses every message where it keeps context.
     */
    private static String nodeShortText(CompressionMode mode) {
        return mode == CompressionMode.LEAN ? "plain" : "compressed";
    }
}
