package dev.wsnetty.netty.client;

import io.netty.channel.Channel;

import java.util.concurrent.CompletableFuture;

/**
 * A connection being opened by {@link ClientConnector}: its channel (usable to close it early) and the
 * outcome of the opening handshake.
 *
 * @param channel   the connection's channel, registered but possibly not yet connected; closing it
 *                  abandons the attempt
 * @param handshake completes with the server's answer (successful or refused), or exceptionally with a
 *                  {@link WebSocketConnectException} or {@link WebSocketHandshakeException}
 */
public record ClientConnection(Channel channel, CompletableFuture<ClientHandshakeResult> handshake) {
}
