package dev.wsnetty.netty.protocol;

import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.testing.WireFrame;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topic message published while the connection is in the middle of sending a fragmented message goes out after
 * the message's last frame, never between its fragments (RFC 6455 §5.4), on the wire.
 */
class EncodedFrameBetweenFragmentsTest {
    @Test
    void topicMessageWaitsForTheLastFragment() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient client = RawClient.upgrade(server.port(), "/")) {
            Communicator communicator = server.next();
            communicator.subscribe("news");
            MessageOutputStream stream = communicator.writeMessage(MessageType.STRING, 4);
            stream.write("abcdefg".getBytes(StandardCharsets.UTF_8)); // "abcd" goes out as a first fragment
            WireFrame first = client.readFrame();
            assertEquals(WebSocketProtocol.OPCODE_TEXT, first.opcode());
            assertFalse(first.fin());

            communicator.topics().publish("news", "published meanwhile");
            // The publication is queued on the loop before this task: once it ran, the frame was written (or held).
            Channel channel = communicator.unwrap(Channel.class);
            channel.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
            stream.close();

            WireFrame next = client.readFrame();
            assertEquals(WebSocketProtocol.OPCODE_CONTINUATION, next.opcode(), "the message's next fragment: " + next);
            StringBuilder rest = new StringBuilder(next.text());
            while (!next.fin()) {
                next = client.readFrame();
                assertEquals(WebSocketProtocol.OPCODE_CONTINUATION, next.opcode(), "a fragment: " + next);
                rest.append(next.text());
            }
            assertEquals("abcdefg", first.text() + rest);
            WireFrame published = client.readFrame();
            assertEquals(WebSocketProtocol.OPCODE_TEXT, published.opcode());
            assertTrue(published.fin());
            assertEquals("published meanwhile", published.text());
        }
    }
}
