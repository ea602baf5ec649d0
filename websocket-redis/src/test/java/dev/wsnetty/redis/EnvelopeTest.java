package dev.wsnetty.redis;

import dev.wsnetty.MessageType;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The envelope's bytes, as its javadoc lays them out, and what reading refuses. */
class EnvelopeTest {
    @Test
    void aTopicMessageIsVersionKindNodeThenPayload() {
        byte[] bytes = Envelope.topicMessage(0x0102030405060708L, MessageType.STRING,
                Unpooled.wrappedBuffer("hi".getBytes(StandardCharsets.UTF_8)));
        // version 1, kind 1 (text), node id big-endian, "hi"
        assertArrayEquals(new byte[] {1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 'h', 'i'}, bytes);
        Envelope read = Envelope.read(bytes);
        assertEquals(0x0102030405060708L, read.node());
        assertEquals(MessageType.STRING, read.type());
        assertNull(read.target());
        assertEquals("hi", new String(read.payload(), read.offset(), read.length(), StandardCharsets.UTF_8));
    }

    @Test
    void aBinaryMessageHasKind2AndKeepsANegativeNodeId() {
        byte[] bytes = Envelope.topicMessage(-1L, MessageType.BINARY, Unpooled.wrappedBuffer(new byte[] {9}));
        assertArrayEquals(new byte[] {1, 2, -1, -1, -1, -1, -1, -1, -1, -1, 9}, bytes);
        assertEquals(-1L, Envelope.read(bytes).node());
        assertEquals(MessageType.BINARY, Envelope.read(bytes).type());
    }

    @Test
    void aDirectMessageCarriesItsTargetsLengthAndBytes() {
        byte[] bytes = Envelope.directMessage(7L, "ab", MessageType.BINARY, new byte[] {5, 6});
        // version 1, kind 4 (direct binary), node 7, id length 2, "ab", payload
        assertArrayEquals(new byte[] {1, 4, 0, 0, 0, 0, 0, 0, 0, 7, 0, 2, 'a', 'b', 5, 6}, bytes);
        Envelope read = Envelope.read(bytes);
        assertEquals("ab", read.target());
        assertArrayEquals(new byte[] {5, 6},
                Arrays.copyOfRange(read.payload(), read.offset(), read.offset() + read.length()));
    }

    @Test
    void readingRefusesWhatIsNoEnvelopeSayingWhy() {
        assertEquals("an envelope of 3 bytes is shorter than its 10-byte header",
                assertThrows(IllegalArgumentException.class, () -> Envelope.read(new byte[3])).getMessage());
        assertEquals("envelope version 2, expected 1", assertThrows(IllegalArgumentException.class,
                () -> Envelope.read(new byte[] {2, 1, 0, 0, 0, 0, 0, 0, 0, 0})).getMessage());
        assertEquals("unknown envelope kind 9", assertThrows(IllegalArgumentException.class,
                () -> Envelope.read(new byte[] {1, 9, 0, 0, 0, 0, 0, 0, 0, 0})).getMessage());
        assertEquals("an id of 5 bytes does not fit in an envelope of 13 bytes", assertThrows(
                IllegalArgumentException.class,
                () -> Envelope.read(new byte[] {1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 'a'})).getMessage());
    }
}
