package dev.wsnetty;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages, close status, request and response data, exceptions. */
class ValueTypesTest {
    @Test
    void messageTypesCarryTheirOpcodes() {
        assertEquals(0x1, MessageType.STRING.opcode());
        assertEquals(0x2, MessageType.BINARY.opcode());
        assertEquals(0x8, MessageType.CLOSE.opcode());
        assertEquals(0x9, MessageType.PING.opcode());
        assertEquals(0xA, MessageType.PONG.opcode());
        assertTrue(MessageType.PING.isControl());
        assertFalse(MessageType.BINARY.isControl());
        assertEquals(Set.of(MessageType.STRING, MessageType.BINARY, MessageType.PONG), Communicator.DEFAULT_MESSAGE_TYPES);
        assertThrows(UnsupportedOperationException.class, () -> Communicator.DEFAULT_MESSAGE_TYPES.add(MessageType.PING));
    }

    @Test
    void messagesAreValuesAndBinaryPayloadsAreNotCopied() {
        byte[] data = {1, 2, 3};
        BinaryMessage binary = new BinaryMessage(data);
        assertSame(data, binary.data());
        assertEquals(new BinaryMessage(new byte[] {1, 2, 3}), binary);
        assertEquals(MessageType.BINARY, binary.type());
        assertEquals("BinaryMessage[3 bytes]", binary.toString());

        StringMessage text = new StringMessage("héllo");
        assertEquals(new StringMessage("héllo"), text);
        assertEquals(MessageType.STRING, text.type());

        PongMessage pong = new PongMessage("wörld".getBytes(StandardCharsets.UTF_8));
        assertEquals("wörld", pong.asString());
        assertEquals(MessageType.PONG, pong.type());
        assertEquals("\uFFFD", new PongMessage(new byte[] {(byte) 0xFF}).asString());
    }

    @Test
    void closeStatusConstantsAndChecks() {
        assertEquals(1000, CloseStatus.NORMAL.code());
        assertEquals(1001, CloseStatus.GOING_AWAY.code());
        assertEquals(1005, CloseStatus.NO_STATUS.code());
        assertEquals(1006, CloseStatus.ABNORMAL.code());
        assertEquals("", new CloseStatus(1000, null).reason());
        assertEquals(new CloseStatus(1006, "connection reset"), CloseStatus.abnormal("connection reset"));
        assertEquals("code 1000 \"bye\"", new CloseStatus(1000, "bye").describe());
        assertTrue(CloseStatus.NORMAL.isNormal());
        assertThrows(IllegalArgumentException.class, () -> new CloseStatus(70000, ""));
    }

    @Test
    void requestDataLooksHeadersUpIgnoringCase() {
        HeaderFields headers = HeaderFields.of(List.of(
                new HeaderField("Host", "localhost:8080"),
                new HeaderField("Cookie", "a=1"),
                new HeaderField("cookie", "b=2"),
                new HeaderField("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")));
        RequestData request = new RequestData("GET", "/chat?room=1", "localhost:8080", "dGhlIHNhbXBsZSBub25jZQ==",
                headers, new InetSocketAddress("127.0.0.1", 64914));

        assertEquals("a=1", request.header("COOKIE"));
        assertEquals(List.of("a=1", "b=2"), request.headers("Cookie"));
        assertEquals(List.of(), request.headers("Origin"));
        assertNull(request.header("Origin"));
        assertEquals(List.of("Host", "Cookie", "Sec-WebSocket-Key"), new ArrayList<>(request.headerNames()));
        assertEquals("/chat?room=1", request.path());
        assertEquals(64914, request.remoteAddress().getPort());
        assertEquals("", new RequestData("GET", "/", null, "k", HeaderFields.EMPTY,
                new InetSocketAddress("127.0.0.1", 1)).host());
    }

    @Test
    void responseHeadersKeepOrderAndSetReplacesInPlace() {
        ResponseHeaders headers = new ResponseHeaders()
                .add("Set-Cookie", "sid=42")
                .add("X-Raw", "raw value")
                .add("set-cookie", "theme=dark");
        headers.set("SET-COOKIE", "only=1"); // the new spelling replaces the old line
        headers.set("X-New", "v");

        assertEquals(List.of("SET-COOKIE: only=1", "X-Raw: raw value", "X-New: v"),
                headers.asList().stream().map(HeaderField::toString).toList());
        assertEquals("raw value", headers.get("x-raw"));
        assertTrue(headers.remove("x-raw"));
        assertFalse(headers.contains("X-Raw"));
        assertEquals("SET-COOKIE: only=1\nX-New: v\n", headers.toString());
    }

    @Test
    void responseHeadersRejectInjectionAndBadNames() {
        ResponseHeaders headers = new ResponseHeaders();
        IllegalArgumentException crlf = assertThrows(IllegalArgumentException.class,
                () -> headers.add("X-Evil", "a\r\nSet-Cookie: stolen=1"));
        assertTrue(crlf.getMessage().contains("CR"), crlf.getMessage());
        assertThrows(IllegalArgumentException.class, () -> headers.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X-Colon:", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.set("", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", null));
        assertEquals(0, headers.size());
    }

    @Test
    void handshakeResponseReportsStatusHeadersAndBody() {
        HandshakeResponse refused = new HandshakeResponse(403, "Forbidden",
                HeaderFields.of(List.of(new HeaderField("Content-Length", "5"), new HeaderField("X-Why", "nope"))),
                "nope!");
        assertEquals(403, refused.statusCode());
        assertEquals("Forbidden", refused.reasonPhrase());
        assertEquals("nope", refused.header("x-why"));
        assertEquals("nope!", refused.body());
        assertEquals("", new HandshakeResponse(101, null, HeaderFields.EMPTY, null).body());
    }

    @Test
    void exceptionsSayWhatAndWhy() {
        WebSocketClosedException closed = new WebSocketClosedException("cannot write", new CloseStatus(1001, "bye"));
        assertEquals("cannot write (code 1001 \"bye\")", closed.getMessage());
        assertTrue(closed instanceof WebSocketException);
        assertEquals("cannot write", new WebSocketClosedException("cannot write", null).getMessage());
        assertTrue(new UnsupportedMessageTypeException(MessageType.CLOSE).getMessage().contains("CLOSE"));
    }
}
