package dev.wsnetty.netty.stats;

import io.netty.channel.Channel;

/**
 * What the handlers report about a connection's life, in one place: each call counts into the connection's
 * {@link WebSocketStatistics} (when it has any; null: not counted) and emits the matching JFR event, which costs a
 * check of a flag unless a JFR recording has the event enabled. Called on the channel's event loop, once per
 * connection or handshake (the per-frame counts go straight to {@link WebSocketStatistics}).
 */
public final class ConnectionTelemetry {
    private ConnectionTelemetry() {
    }

    /** A connection switched to WebSocket; {@code server} tells its role. */
    public static void opened(WebSocketStatistics statistics, Channel channel, boolean server) {
        if (statistics != null) {
            statistics.connectionOpened();
        }
        ConnectionOpenedEvent event = new ConnectionOpenedEvent();
        if (event.shouldCommit()) {
            event.role = role(server);
            event.remoteAddress = String.valueOf(channel.remoteAddress());
            event.commit();
        }
    }

    /** A connection counted by {@link #opened} ended, as its {@code WebSocketCloseEvent} says. */
    public static void closed(WebSocketStatistics statistics, Channel channel, boolean server, int code,
                              String reason, boolean remote, boolean clean) {
        if (statistics != null) {
            statistics.connectionClosed();
        }
        ConnectionClosedEvent event = new ConnectionClosedEvent();
        if (event.shouldCommit()) {
            event.role = role(server);
            event.remoteAddress = String.valueOf(channel.remoteAddress());
            event.code = code;
            event.reason = reason;
            event.remote = remote;
            event.clean = clean;
            event.commit();
        }
    }

    /** A handshake succeeded: the server wrote its 101, or a client accepted one. */
    public static void handshakeAccepted(WebSocketStatistics statistics) {
        if (statistics != null) {
            statistics.handshakeAccepted();
        }
    }

    /**
     * A handshake was refused or failed.
     *
     * @param status the HTTP status of the refusal, or {@link StatisticsSnapshot#NO_RESPONSE}
     * @param reason what was wrong, as the refusal or the exception says it
     */
    public static void handshakeFailed(WebSocketStatistics statistics, Channel channel, boolean server, int status,
                                       String reason) {
        if (statistics != null) {
            statistics.handshakeRefused(status);
        }
        HandshakeFailedEvent event = new HandshakeFailedEvent();
        if (event.shouldCommit()) {
            event.role = role(server);
            event.remoteAddress = String.valueOf(channel.remoteAddress());
            event.status = status;
            event.reason = reason;
            event.commit();
        }
    }

    private static String role(boolean server) {
        return server ? "server" : "client";
    }
}
