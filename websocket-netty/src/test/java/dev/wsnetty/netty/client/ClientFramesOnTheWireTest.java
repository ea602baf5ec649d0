package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link WebSocketClient}'s connections put on the wire and accept from it, read and written as raw bytes
 * by a scripted server: client frames are masked with fresh keys, and a masked server frame fails the
 * connection with 1002.
 */
class ClientFramesOnTheWireTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyClientFrameIsMaskedWithAFreshKey() throws Exception {
        EventRecorder<WireFrame> frames = new EventRecorder<>("frame the server read");
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            for (int i = 0; i < 4; i++) {
                frames.record(ex.readFrame());
            }
            ex.send(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe8}); // Close 1000, unmasked as a server's must be
            frames.record(ex.readFrame()); // the client's answering Close; returning then closes TCP
        })) {
            Communicator communicator = new WebSocketClient("127.0.0.1", server.port()).connect();
            assertNotNull(communicator);
            communicator.writeStringMessage("hello");
            communicator.writeStringMessage("hello");
            communicator.writeBinaryMessage(new byte[300]);
            communicator.ping("ping!");

            WireFrame first = frames.next();
            WireFrame second = frames.next();
            WireFrame binary = frames.next();
            WireFrame ping = frames.next();
            for (WireFrame f : new WireFrame[] {first, second, binary, ping}) {
                assertTrue(f.masked(), "an unmasked client frame");
                assertTrue(f.fin());
            }
            assertEquals(0x1, first.opcode());
            assertEquals("hello", first.text());
            assertEquals("hello", second.text());
            assertNotEquals(first.key(), second.key(), "the same masking key twice");
            assertEquals(0x2, binary.opcode());
            assertArrayEquals(new byte[300], binary.payload()); // zeros on the wire would be the key repeated
            assertEquals(0x9, ping.opcode());
            assertEquals("ping!", ping.text());

            assertEquals(new CloseStatus(1000, ""), communicator.awaitClose(WAIT));
            WireFrame closeAnswer = frames.next();
            assertEquals(0x8, closeAnswer.opcode());
            assertTrue(closeAnswer.masked());
            assertEquals(1000, closeAnswer.closeCode());
        }
    }

    @Test
    void maskedServerFrameIsAProtocolErrorClosedWith1002() throws Exception {
        EventRecorder<WireFrame> frames = new EventRecorder<>("frame the server read");
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            byte[] mask = {1, 2, 3, 4};
            byte[] text = "hi".getBytes(StandardCharsets.US_ASCII);
            ex.send(new byte[] {(byte) 0x81, (byte) 0x82, mask[0], mask[1], mask[2], mask[3],
                    (byte) (text[0] ^ mask[0]), (byte) (text[1] ^ mask[1])});
            frames.record(ex.readFrame());
            // returning closes TCP, as a server does after the closing handshake
        })) {
            Communicator communicator = new WebSocketClient("127.0.0.1", server.port()).connect();
            assertNotNull(communicator);

            WireFrame close = frames.next();
            assertEquals(0x8, close.opcode());
            assertTrue(close.masked());
            assertEquals(1002, close.closeCode());
            String reason = new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8);
            assertTrue(reason.contains("mask"), reason);

            CloseStatus status = communicator.awaitClose(WAIT);
            assertNotNull(status, "connection did not close");
            assertEquals(1002, status.code());
            assertFalse(communicator.hasMessages(), "the masked frame must not be delivered");
        }
    }
}
