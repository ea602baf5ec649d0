package dev.wsnetty.netty.client;

import dev.wsnetty.HandshakeResponse;

/**
 * Told about the server's answer to a {@link WebSocketClient}'s opening handshake: the original's
 * {@code OnHandshakeSuccess} and {@code OnHandshakeFailure} events ({@code TWebsocketHandshakeResponseEvent}).
 * Unlike the original's, the headers stay valid after the call.
 *
 * <p>For {@link WebSocketClient#connect()} and {@link WebSocketClient#connectOrThrow()} it runs on the
 * thread that called them, before they return; for {@link WebSocketClient#connectAsync()} on the
 * communicator settings' listener executor, before the future completes. Never on an event loop, so it may
 * block. An exception it throws closes the new connection (if any) and is thrown by {@code connect}
 * (or completes the future) instead of the result.
 */
@FunctionalInterface
public interface HandshakeResponseListener {
    /**
     * The server answered.
     *
     * @param client   the client that connected
     * @param response status, reason phrase, headers and (for a refusal) body of the answer
     */
    void onHandshakeResponse(WebSocketClient client, HandshakeResponse response);
}
