package dev.wsnetty.netty.protocol;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.protocol.CloseHandshake.Decision;
import dev.wsnetty.netty.protocol.CloseHandshake.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The closing handshake as a table: every state × every event, with the decision for a server and a client
 * and the state after it; then how the close event comes out of each way a connection can end.
 */
class CloseHandshakeTest {
    /**
     * The events, each as the call the protocol handler makes; void events answer null. "write close" is the
     * application's Close 3000 "done", "peer close" the peer's Close 1001 "bye".
     */
    private static final Map<String, Function<CloseHandshake, Decision>> EVENTS = Map.ofEntries(
            Map.entry("write data", CloseHandshake::onWrite),
            Map.entry("write close", h -> h.onLocalClose(6, 3000, "done")),
            Map.entry("write close 1005", h -> h.onLocalClose(2, 1005, "")), // a code that may not be sent
            Map.entry("read data", CloseHandshake::onRead),
            Map.entry("read ping", CloseHandshake::onPing),
            Map.entry("peer close", h -> h.onPeerClose(1001, "bye")),
            Map.entry("peer close passed on", CloseHandshake::onPeerCloseDelivered),
            Map.entry("failure", h -> h.onFailure(1002, "bad frame")),
            Map.entry("close()", h -> h.onCloseRequested(true)),
            Map.entry("close() unconnected", h -> h.onCloseRequested(false)),
            Map.entry("close written", h -> {
                h.onCloseWritten();
                return null;
            }),
            Map.entry("close timeout", CloseHandshake::onCloseTimeout),
            Map.entry("transport failure", CloseHandshake::onTransportFailure),
            Map.entry("channel inactive", h -> {
                h.onChannelInactive();
                return null;
            }));

    /** The states, each as the events that lead to it from a new handshake. */
    private static final Map<String, List<String>> STATES = Map.of(
            "open", List.of(),
            "sent", List.of("write close"),
            "received", List.of("peer close"),
            "echoed", List.of("peer close", "peer close passed on"),
            "answered", List.of("write close", "peer close"),
            "failed", List.of("failure"),
            "closed", List.of("channel inactive"));

    // The last column is the state after the event, for both roles or as "server/client".
    // from     | event                | server          | client          | then
    private static final String TABLE = """
            open     | write data           | PASS            | PASS            | OPEN
            open     | write close          | SEND            | SEND            | CLOSE_SENT
            open     | write close 1005     | REJECT          | REJECT          | OPEN
            open     | read data            | PASS            | PASS            | OPEN
            open     | read ping            | ANSWER_PING     | ANSWER_PING     | OPEN
            open     | peer close           | PASS            | PASS            | CLOSE_RECEIVED
            open     | peer close passed on | NONE            | NONE            | OPEN
            open     | failure              | SEND_AND_LINGER | SEND_AND_LINGER | LINGERING
            open     | close()              | SEND_AND_CLOSE  | SEND_AND_CLOSE  | CLOSE_SENT
            open     | close() unconnected  | CLOSE           | CLOSE           | OPEN
            open     | close written        | -               | -               | OPEN
            open     | close timeout        | CLOSE_NOW       | CLOSE_NOW       | OPEN
            open     | transport failure    | CLOSE_NOW       | CLOSE_NOW       | OPEN
            open     | channel inactive     | -               | -               | CLOSED

            sent     | write data           | REFUSE          | REFUSE          | CLOSE_SENT
            sent     | write close          | IGNORE          | IGNORE          | CLOSE_SENT
            sent     | write close 1005     | IGNORE          | IGNORE          | CLOSE_SENT
            sent     | read data            | PASS            | PASS            | CLOSE_SENT
            sent     | read ping            | DROP            | DROP            | CLOSE_SENT
            sent     | peer close           | PASS            | PASS            | CLOSE_SENT_AND_RECEIVED
            sent     | peer close passed on | NONE            | NONE            | CLOSE_SENT
            sent     | failure              | LINGER          | LINGER          | LINGERING
            sent     | close()              | CLOSE           | CLOSE           | CLOSE_SENT
            sent     | close() unconnected  | CLOSE           | CLOSE           | CLOSE_SENT
            sent     | close written        | -               | -               | CLOSE_SENT
            sent     | close timeout        | CLOSE_NOW       | CLOSE_NOW       | CLOSE_SENT
            sent     | transport failure    | CLOSE_NOW       | CLOSE_NOW       | CLOSE_SENT
            sent     | channel inactive     | -               | -               | CLOSED

            received | write data           | PASS            | PASS            | CLOSE_RECEIVED
            received | write close          | SEND            | SEND            | CLOSE_SENT_AND_RECEIVED
            received | write close 1005     | REJECT          | REJECT          | CLOSE_RECEIVED
            received | read data            | DROP            | DROP            | CLOSE_RECEIVED
            received | read ping            | DROP            | DROP            | CLOSE_RECEIVED
            received | peer close           | DROP            | DROP            | CLOSE_RECEIVED
            received | peer close passed on | ECHO_AND_CLOSE  | ECHO            | CLOSE_SENT_AND_RECEIVED
            received | failure              | SEND_AND_CLOSE  | SEND_AND_CLOSE  | CLOSE_SENT_AND_RECEIVED
            received | close()              | ECHO_AND_CLOSE  | ECHO_AND_CLOSE  | CLOSE_SENT_AND_RECEIVED
            received | close() unconnected  | CLOSE           | CLOSE           | CLOSE_RECEIVED
            received | close written        | -               | -               | CLOSE_RECEIVED
            received | close timeout        | CLOSE_NOW       | CLOSE_NOW       | CLOSE_RECEIVED
            received | transport failure    | CLOSE_NOW       | CLOSE_NOW       | CLOSE_RECEIVED
            received | channel inactive     | -               | -               | CLOSED

            echoed   | write data           | REFUSE          | REFUSE          | CLOSE_SENT_AND_RECEIVED
            echoed   | write close          | IGNORE          | IGNORE          | CLOSE_SENT_AND_RECEIVED
            echoed   | write close 1005     | IGNORE          | IGNORE          | CLOSE_SENT_AND_RECEIVED
            echoed   | read data            | DROP            | DROP            | CLOSE_SENT_AND_RECEIVED
            echoed   | read ping            | DROP            | DROP            | CLOSE_SENT_AND_RECEIVED
            echoed   | peer close           | DROP            | DROP            | CLOSE_SENT_AND_RECEIVED
            echoed   | peer close passed on | CLOSE           | NONE            | CLOSE_SENT_AND_RECEIVED
            echoed   | failure              | CLOSE           | CLOSE           | CLOSE_SENT_AND_RECEIVED
            echoed   | close()              | CLOSE           | CLOSE           | CLOSE_SENT_AND_RECEIVED
            echoed   | close() unconnected  | CLOSE           | CLOSE           | CLOSE_SENT_AND_RECEIVED
            echoed   | close written        | -               | -               | CLOSE_SENT_AND_RECEIVED
            echoed   | close timeout        | CLOSE_NOW       | CLOSE_NOW       | CLOSE_SENT_AND_RECEIVED
            echoed   | transport failure    | CLOSE_NOW       | CLOSE_NOW       | CLOSE_SENT_AND_RECEIVED
            echoed   | channel inactive     | -               | -               | CLOSED

            answered | write data           | REFUSE          | REFUSE          | CLOSE_SENT_AND_RECEIVED
            answered | write close          | IGNORE          | IGNORE          | CLOSE_SENT_AND_RECEIVED
            answered | write close 1005     | IGNORE          | IGNORE          | CLOSE_SENT_AND_RECEIVED
            answered | read data            | DROP            | DROP            | CLOSE_SENT_AND_RECEIVED
            answered | read ping            | DROP            | DROP            | CLOSE_SENT_AND_RECEIVED
            answered | peer close           | DROP            | DROP            | CLOSE_SENT_AND_RECEIVED
            answered | peer close passed on | CLOSE           | NONE            | CLOSE_SENT_AND_RECEIVED
            answered | failure              | CLOSE           | CLOSE           | CLOSE_SENT_AND_RECEIVED
            answered | close()              | CLOSE           | CLOSE           | CLOSE_SENT_AND_RECEIVED
            answered | close() unconnected  | CLOSE           | CLOSE           | CLOSE_SENT_AND_RECEIVED
            answered | close written        | -               | -               | CLOSE_SENT_AND_RECEIVED
            answered | close timeout        | CLOSE_NOW       | CLOSE_NOW       | CLOSE_SENT_AND_RECEIVED
            answered | transport failure    | CLOSE_NOW       | CLOSE_NOW       | CLOSE_SENT_AND_RECEIVED
            answered | channel inactive     | -               | -               | CLOSED

            // An endpoint lingers after failing the connection: it drops what arrives until the peer's Close or FIN.
            failed   | write data           | REFUSE          | REFUSE          | LINGERING
            failed   | write close          | IGNORE          | IGNORE          | LINGERING
            failed   | write close 1005     | IGNORE          | IGNORE          | LINGERING
            failed   | read data            | DROP            | DROP            | LINGERING
            failed   | read ping            | DROP            | DROP            | LINGERING
            failed   | peer close           | PASS            | PASS            | CLOSE_SENT_AND_RECEIVED
            failed   | peer close passed on | NONE            | NONE            | LINGERING
            failed   | failure              | NONE            | NONE            | LINGERING
            failed   | close()              | CLOSE           | CLOSE           | LINGERING
            failed   | close() unconnected  | CLOSE           | CLOSE           | LINGERING
            failed   | close written        | -               | -               | LINGERING
            failed   | close timeout        | CLOSE_NOW       | CLOSE_NOW       | LINGERING
            failed   | transport failure    | CLOSE_NOW       | CLOSE_NOW       | LINGERING
            failed   | channel inactive     | -               | -               | CLOSED

            // The channel is gone: a Close or pong written now fails in the transport, which the handshake leaves to it.
            closed   | write data           | PASS            | PASS            | CLOSED
            closed   | write close          | SEND            | SEND            | CLOSED
            closed   | write close 1005     | REJECT          | REJECT          | CLOSED
            closed   | read data            | PASS            | PASS            | CLOSED
            closed   | read ping            | ANSWER_PING     | ANSWER_PING     | CLOSED
            closed   | peer close           | PASS            | PASS            | CLOSED
            closed   | peer close passed on | NONE            | NONE            | CLOSED
            closed   | failure              | SEND_AND_LINGER | SEND_AND_LINGER | CLOSED
            closed   | close()              | SEND_AND_CLOSE  | SEND_AND_CLOSE  | CLOSED
            closed   | close() unconnected  | CLOSE           | CLOSE           | CLOSED
            closed   | close written        | -               | -               | CLOSED
            closed   | close timeout        | CLOSE_NOW       | CLOSE_NOW       | CLOSED
            closed   | transport failure    | CLOSE_NOW       | CLOSE_NOW       | CLOSED
            closed   | channel inactive     | -               | -               | CLOSED
            """;

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (String line : TABLE.split("\n")) {
            if (line.isBlank() || line.startsWith("//")) {
                continue;
            }
            String[] cell = line.split("\\|");
            String from = cell[0].trim();
            String event = cell[1].trim();
            String[] then = cell[4].trim().split("/");
            rows.add(Arguments.of(from, event, Role.SERVER, decision(cell[2]), State.valueOf(then[0])));
            rows.add(Arguments.of(from, event, Role.CLIENT, decision(cell[3]), State.valueOf(then[then.length - 1])));
        }
        return rows.stream();
    }

    private static Decision decision(String cell) {
        String name = cell.trim();
        return name.equals("-") ? null : Decision.valueOf(name);
    }

    private static CloseHandshake in(String state, Role role) {
        CloseHandshake h = new CloseHandshake(role);
        for (String event : STATES.get(state)) {
            EVENTS.get(event).apply(h);
        }
        return h;
    }

    @Test
    void tableHasOneRowPerStateAndEvent() {
        List<String> expected = new ArrayList<>();
        for (String state : STATES.keySet()) {
            for (String event : EVENTS.keySet()) {
                for (Role role : Role.values()) {
                    expected.add(state + " | " + event + " | " + role);
                }
            }
        }
        List<String> actual = new ArrayList<>();
        rows().forEach(row -> actual.add(row.get()[0] + " | " + row.get()[1] + " | " + row.get()[2]));
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0} | {1} | {2}: {3}, then {4}")
    @MethodSource("rows")
    void eachEventInEachStateHasItsDecisionAndNextState(String from, String event, Role role, Decision decision,
            State then) {
        CloseHandshake h = in(from, role);
        assertEquals(decision, EVENTS.get(event).apply(h));
        assertEquals(then, h.state());
    }

    // ---------------------------------------------------------------- the close event

    // events, in order                                                  | code | reason      | remote | clean
    private static final String ENDINGS = """
            channel inactive                                                  | 1006 | connection lost | local  | unclean
            write close, channel inactive                                     | 3000 | done        | local  | unclean
            write close, close written, channel inactive                      | 3000 | done        | local  | unclean
            write close, peer close, channel inactive                         | 1001 | bye         | local  | unclean
            write close, close written, peer close, channel inactive          | 1001 | bye         | local  | clean
            peer close, peer close passed on, channel inactive                | 1001 | bye         | remote | unclean
            peer close, peer close passed on, close written, channel inactive | 1001 | bye         | remote | clean
            peer close, write close, close written, channel inactive          | 1001 | bye         | remote | clean
            peer close, close(), close written, channel inactive              | 1001 | bye         | remote | clean
            peer close, failure, close written, channel inactive              | 1001 | bye         | remote | clean
            failure, close written, channel inactive                          | 1002 | bad frame   | local  | unclean
            failure, peer close, close written, channel inactive              | 1001 | bye         | local  | clean
            close(), close written, channel inactive                          | 1000 |             | local  | unclean
            close() unconnected, channel inactive                             | 1006 | connection lost | local  | unclean
            close timeout, transport failure, channel inactive                | 1006 | connection lost | local  | unclean
            """;

    static Stream<Arguments> endings() {
        List<Arguments> rows = new ArrayList<>();
        for (String line : ENDINGS.split("\n")) {
            String[] cell = line.split("\\|");
            WebSocketCloseEvent expected = new WebSocketCloseEvent(Integer.parseInt(cell[1].trim()), cell[2].trim(),
                    cell[3].trim().equals("remote"), cell[4].trim().equals("clean"));
            for (Role role : Role.values()) {
                rows.add(Arguments.of(List.of(cell[0].trim().split(", ")), role, expected));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} ({1}): {2}")
    @MethodSource("endings")
    void closeEventTellsHowTheConnectionEnded(List<String> events, Role role, WebSocketCloseEvent expected) {
        CloseHandshake h = new CloseHandshake(role);
        List<String> before = events.subList(0, events.size() - 1);
        for (String event : before) {
            EVENTS.get(event).apply(h);
        }
        assertEquals(expected, h.onChannelInactive());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void closeEventIsMadeOnlyOnce(Role role) {
        CloseHandshake h = new CloseHandshake(role);
        h.onPeerClose(1000, "");
        assertEquals(new WebSocketCloseEvent(1000, "", true, false), h.onChannelInactive());
        assertNull(h.onChannelInactive());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void echoRepeatsThePeersCodeAnd1005WhenItHadNone(Role role) {
        CloseHandshake withCode = new CloseHandshake(role);
        withCode.onPeerClose(4000, "app");
        withCode.onPeerCloseDelivered();
        assertEquals(4000, withCode.echoCode());

        CloseHandshake empty = new CloseHandshake(role);
        empty.onPeerClose(CloseCodes.NO_STATUS_RECEIVED, "");
        empty.onPeerCloseDelivered();
        assertEquals(CloseCodes.NO_STATUS_RECEIVED, empty.echoCode());
    }

    @Test
    void rejectedCloseLeavesTheHandshakeOpenForAGoodOne() {
        CloseHandshake h = new CloseHandshake(Role.SERVER);
        assertEquals(Decision.REJECT, h.onLocalClose(1, CloseCodes.NO_STATUS_RECEIVED, ""));
        assertEquals(Decision.REJECT, h.onLocalClose(126, 1000, "x".repeat(124)));
        assertEquals(Decision.SEND, h.onLocalClose(0, CloseCodes.NO_STATUS_RECEIVED, ""));
        assertEquals(new WebSocketCloseEvent(CloseCodes.NO_STATUS_RECEIVED, "", false, false), h.closeEvent());
    }

    @Test
    void unsendableReasonNamesTheProblemWithItsNumber() {
        assertEquals("a Close frame payload must be empty or 2 to 125 bytes, was 1",
                CloseHandshake.unsendableReason(1, CloseCodes.NO_STATUS_RECEIVED));
        assertEquals("a Close frame payload must be empty or 2 to 125 bytes, was 126",
                CloseHandshake.unsendableReason(126, 1000));
        assertEquals("close code 1006 may not be sent", CloseHandshake.unsendableReason(2, 1006));
        assertNull(CloseHandshake.unsendableReason(0, CloseCodes.NO_STATUS_RECEIVED));
        assertNull(CloseHandshake.unsendableReason(125, 4999));
    }
}
