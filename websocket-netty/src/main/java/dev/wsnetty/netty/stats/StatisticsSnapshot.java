package dev.wsnetty.netty.stats;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of {@link WebSocketStatistics} at one moment. Counters count since the statistics were made; maps
 * are sorted by key and hold only keys seen at least once.
 *
 * @param connectionsOpen      WebSocket connections open now (switched to WebSocket and not yet ended)
 * @param connectionsOpened    WebSocket connections opened in all
 * @param handshakesAccepted   handshakes answered (client: completed) with 101
 * @param handshakesRefused    refused handshakes by HTTP status (400 invalid request, 403 origin or
 *                             {@code accept}, 404 no route, 408 timeout, 426 version, 431 headers too large,
 *                             503 busy, ...); a client counts the server's status, or {@link #NO_RESPONSE}
 * @param messagesIn           data messages received (counted at their final frame)
 * @param bytesIn              payload bytes of data frames received (after decompression)
 * @param messagesOut          data messages sent, a topic's message once per subscriber it was written to
 * @param bytesOut             payload bytes of data frames sent (before compression)
 * @param closeCodesSent       Close frames sent, by close code (1005 for a Close without one)
 * @param closeCodesReceived   Close frames received, by close code (1005 for a Close without one)
 * @param inboundMemoryUsed    bytes received and not yet taken by the application, in the server's budget
 * @param topicSubscriptions   subscriptions to the server's topics (a connection in two topics counts twice)
 * @param topicMessagesDropped messages the slow-subscriber policy {@code DROP} did not write to a subscriber
 */
public record StatisticsSnapshot(long connectionsOpen, long connectionsOpened, long handshakesAccepted,
                                 Map<Integer, Long> handshakesRefused, long messagesIn, long bytesIn,
                                 long messagesOut, long bytesOut, Map<Integer, Long> closeCodesSent,
                                 Map<Integer, Long> closeCodesReceived, long inboundMemoryUsed,
                                 long topicSubscriptions, long topicMessagesDropped) {
    /** The status a client counts for a handshake that got no valid response (timeout, TLS, bad response). */
    public static final int NO_RESPONSE = 0;

    /** Copies the maps, so that the snapshot stays as it was. */
    public StatisticsSnapshot {
        handshakesRefused = sorted(handshakesRefused);
        closeCodesSent = sorted(closeCodesSent);
        closeCodesReceived = sorted(closeCodesReceived);
    }

    /** All refused handshakes, whatever their status. */
    public long handshakesRefusedTotal() {
        return handshakesRefused.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<Integer, Long> sorted(Map<Integer, Long> counts) {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
