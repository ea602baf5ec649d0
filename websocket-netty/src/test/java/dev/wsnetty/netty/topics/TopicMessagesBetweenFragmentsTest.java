package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.testing.WireFrame;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A topic message published while the connection's own handler is in the middle of a fragmented message (the
 * blocking API's {@code writeMessage} stream) must not go out between its fragments: RFC 6455 §5.4 allows only
 * control frames there, and a client fails the connection with 1002 on a new data frame inside a message.
 * The protocol handler holds such frames until the message's last fragment has gone out.
 */
class TopicMessagesBetweenFragmentsTest {
    @Test
    void aTopicMessageWaitsForTheFragmentedMessageInProgress() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient client = RawClient.upgrade(server.port(), "/")) {
            Communicator side = server.next();
            side.subscribe("room");
            Channel channel = side.unwrap(Channel.class);
            MessageOutputStream out = side.writeMessage(MessageType.STRING, 5);
            out.write("hello world".getBytes(StandardCharsets.UTF_8));
            WireFrame first = client.readFrame();
            assertEquals(0x1, first.opcode());
            assertFalse(first.fin(), "the message is fragmented");

            server.server().topics().publish("room", "topic");
            // The loop has run the delivery pass once a task queued after the publish has run.
            channel.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
            out.close();

            List<String> frames = new ArrayList<>();
            frames.add(describe(first));
            boolean messageDone = false;
            boolean topicSeen = false;
            while (!messageDone || !topicSeen) {
                WireFrame frame = client.readFrame();
                frames.add(describe(frame));
                messageDone |= frame.opcode() == 0x0 && frame.fin();
                topicSeen |= frame.opcode() == 0x1 && frame.text().equals("topic");
                if (!messageDone && frame.opcode() != 0x0) {
                    throw new AssertionError("a data frame inside a fragmented message: " + frames);
                }
            }
        }
    }

    private static String describe(WireFrame frame) {
        return frame.opcode() + (frame.fin() ? " FIN " : " ") + frame.text();
    }
}
