package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.collectMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message of exactly {@code maxMessageSize} incompressible bytes, in one frame of {@code maxFrameSize}, goes both
 * ways compressed between our ends over a socket: deflate makes it a little larger on the wire, and the frame
 * and message limits leave room for that instead of closing with 1009.
 */
class CompressedMessageAtTheLimitTest {
    private static final int LIMIT = 64 * 1024;

    private DeflatePeer peer;

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
    }

    @ParameterizedTest(name = "context takeover: {0}")
    @ValueSource(booleans = {false, true})
    void incompressibleBytesAtTheLimitPassCompressed(boolean contextTakeover) {
        WebSocketConfig config = WebSocketConfig.builder().maxFrameSize(LIMIT).maxMessageSize(LIMIT).build();
        peer = new DeflatePeer(contextTakeover ? DeflateParameters.contextTakeover() : DeflateParameters.lean(),
                config);
        Channel client = peer.connectClient();
        Channel server = peer.nextAccepted();
        byte[] random = new byte[LIMIT];
        new Random(17).nextBytes(random);
        assertTrue(Zlib.compressMessage(random).length > LIMIT, "the bytes grow when deflated");

        client.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(random)));
        assertArrayEquals(random, collectMessage(peer.serverReceived));
        server.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(random)));
        assertArrayEquals(random, collectMessage(peer.clientReceived));
    }
}
