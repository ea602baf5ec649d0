package dev.wsnetty.examples;

import dev.wsnetty.netty.stats.StatisticsSnapshot;

import java.util.Map;

/**
 * The example servers' {@code /stats} page: a {@link StatisticsSnapshot} as one JSON object, its fields named as
 * the snapshot's, the maps keyed by status or close code as strings.
 */
final class StatsJson {
    private StatsJson() {
    }

    /** {@code snapshot} as JSON, e.g. {@code {"connectionsOpen":2,...,"closeCodesSent":{"1000":5}}}. */
    static String of(StatisticsSnapshot snapshot) {
        return new StringBuilder("{")
                .append("\"connectionsOpen\":").append(snapshot.connectionsOpen())
                .append(",\"connectionsOpened\":").append(snapshot.connectionsOpened())
                .append(",\"handshakesAccepted\":").append(snapshot.handshakesAccepted())
                .append(",\"handshakesRefused\":").append(object(snapshot.handshakesRefused()))
                .append(",\"messagesIn\":").append(snapshot.messagesIn())
                .append(",\"bytesIn\":").append(snapshot.bytesIn())
                .append(",\"messagesOut\":").append(snapshot.messagesOut())
                .append(",\"bytesOut\":").append(snapshot.bytesOut())
                .append(",\"closeCodesSent\":").append(object(snapshot.closeCodesSent()))
                .append(",\"closeCodesReceived\":").append(object(snapshot.closeCodesReceived()))
                .append(",\"inboundMemoryUsed\":").append(snapshot.inboundMemoryUsed())
                .append(",\"topicSubscriptions\":").append(snapshot.topicSubscriptions())
                .append(",\"topicMessagesDropped\":").append(snapshot.topicMessagesDropped())
                .append('}').toString();
    }

    private static String object(Map<Integer, Long> counts) {
        StringBuilder json = new StringBuilder("{");
        counts.forEach((key, count) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(key).append("\":").append(count);
        });
        return json.append('}').toString();
    }
}
