package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.testing.Await;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.collectMessage;
import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.json;
import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.utf8;
import static dev.wsnetty.netty.deflate.DeflatePeer.deflateOf;
import static dev.wsnetty.netty.deflate.DeflatePeer.onLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our client pipeline and our server pipeline, both with the deflate handler, over a socket: messages of every kind
 * both ways, and where the zlib streams are (borrowed per message without context takeover, per connection with it,
 * released when idle or closed).
 */
class DeflateBetweenOurEndsTest {
    private DeflatePeer peer;

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
    }

    private void exchangeEveryKindOfMessage(Channel client, Channel server) {
        String large = json(50_000);
        String small = "hi";
        byte[] binary = new byte[70_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7 % 251);
        }
        for (int round = 0; round < 3; round++) {
            client.writeAndFlush(WebSocketFrame.text(large));
            client.writeAndFlush(WebSocketFrame.text(small));
            client.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(binary)));
            client.write(WebSocketFrame.text(Unpooled.copiedBuffer(large, StandardCharsets.UTF_8), false));
            client.writeAndFlush(WebSocketFrame.continuation(Unpooled.copiedBuffer(small, StandardCharsets.UTF_8),
                    true));
            assertEquals(large, utf8(collectMessage(peer.serverReceived)));
            assertEquals(small, utf8(collectMessage(peer.serverReceived)));
            assertArrayEquals(binary, collectMessage(peer.serverReceived));
            assertEquals(large + small, utf8(collectMessage(peer.serverReceived)));
            // An empty last frame: the next message (next round) must still inflate where the context is kept.
            client.write(WebSocketFrame.text(Unpooled.copiedBuffer(large, StandardCharsets.UTF_8), false));
            client.writeAndFlush(WebSocketFrame.continuation(Unpooled.EMPTY_BUFFER, true));
            assertEquals(large, utf8(collectMessage(peer.serverReceived)));

            server.writeAndFlush(WebSocketFrame.text(large));
            server.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(binary)));
            server.write(WebSocketFrame.binary(Unpooled.wrappedBuffer(binary), false));
            server.write(WebSocketFrame.continuation(Unpooled.EMPTY_BUFFER, false));
            server.writeAndFlush(WebSocketFrame.continuation(Unpooled.wrappedBuffer(binary), true));
            server.write(WebSocketFrame.binary(Unpooled.wrappedBuffer(binary), false));
            server.writeAndFlush(WebSocketFrame.continuation(Unpooled.EMPTY_BUFFER, true));
            assertEquals(large, utf8(collectMessage(peer.clientReceived)));
            assertArrayEquals(binary, collectMessage(peer.clientReceived));
            byte[] twice = new byte[2 * binary.length];
            System.arraycopy(binary, 0, twice, 0, binary.length);
            System.arraycopy(binary, 0, twice, binary.length, binary.length);
            assertArrayEquals(twice, collectMessage(peer.clientReceived));
            assertArrayEquals(binary, collectMessage(peer.clientReceived));
        }
    }

    @Test
    void withoutContextTakeoverMessagesGoBothWaysAndNoConnectionHoldsAStream() {
        peer = new DeflatePeer(DeflateParameters.lean(), WebSocketConfig.builder().build());
        Channel client = peer.connectClient();
        Channel server = peer.nextAccepted();
        exchangeEveryKindOfMessage(client, server);
        for (Channel ch : new Channel[] {client, server}) {
            assertFalse(onLoop(ch, () -> deflateOf(ch).holdsDeflateStream()));
            assertFalse(onLoop(ch, () -> deflateOf(ch).holdsInflateStream()));
            // Between messages a lean connection keeps no per-message state either, only the handler.
            assertFalse(onLoop(ch, () -> deflateOf(ch).holdsMessageState()));
        }
        // The streams went back to the event loop's pool (client and server share the one loop here).
        assertTrue(onLoop(server, () -> SharedZlibStreams.current().idleDeflaters()) >= 1);
        assertTrue(onLoop(server, () -> SharedZlibStreams.current().idleInflaters()) >= 1);
    }

    @Test
    void withContextTakeoverMessagesGoBothWaysAndTheStreamsEndWithTheConnection() {
        peer = new DeflatePeer(DeflateParameters.contextTakeover(), WebSocketConfig.builder().build());
        Channel client = peer.connectClient();
        Channel server = peer.nextAccepted();
        exchangeEveryKindOfMessage(client, server);
        for (Channel ch : new Channel[] {client, server}) {
            assertTrue(onLoop(ch, () -> deflateOf(ch).holdsDeflateStream()));
            assertTrue(onLoop(ch, () -> deflateOf(ch).holdsInflateStream()));
        }
        PerMessageDeflateHandler serverDeflate = deflateOf(server);
        PerMessageDeflateHandler clientDeflate = deflateOf(client);
        client.close();
        // The channels' ends reach the handlers (channelInactive) after their close futures complete.
        for (PerMessageDeflateHandler handler : new PerMessageDeflateHandler[] {serverDeflate, clientDeflate}) {
            Await.until("the streams ended", () -> !onLoop(server,
                    () -> handler.holdsDeflateStream() || handler.holdsInflateStream()));
        }
    }

    @Test
    void anIdleConnectionsDeflateStreamIsReleasedAndTheNextMessageStartsAFreshOne() {
        WebSocketConfig config = WebSocketConfig.builder().compressionIdleRelease(Duration.ofMillis(50)).build();
        peer = new DeflatePeer(DeflateParameters.contextTakeover(), config);
        Channel client = peer.connectClient();
        Channel server = peer.nextAccepted();
        String text = json(10_000);
        for (int round = 0; round < 2; round++) {
            server.writeAndFlush(WebSocketFrame.text(text));
            client.writeAndFlush(WebSocketFrame.text(text));
            assertEquals(text, utf8(collectMessage(peer.clientReceived)));
            assertEquals(text, utf8(collectMessage(peer.serverReceived)));
            Await.until("the server's deflate stream released", () -> !onLoop(server,
                    () -> deflateOf(server).holdsDeflateStream()));
            // The peer takes over context: its window must stay for its next message.
            assertTrue(onLoop(server, () -> deflateOf(server).holdsInflateStream()));
        }
    }
}
