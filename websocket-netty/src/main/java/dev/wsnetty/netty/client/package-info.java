/**
 * The WebSocket client. Users start at {@link dev.wsnetty.netty.client.WebSocketClient} (the original's
 * {@code TWebsocketClient}): it connects, checks the server's answer, and hands out the connection's
 * {@link dev.wsnetty.Communicator}, on event loop threads shared by all clients. Underneath, for use in
 * one's own Netty code: the opening handshake ({@link dev.wsnetty.netty.client.ClientHandshakeHandler}),
 * what to ask for ({@link dev.wsnetty.netty.client.ClientHandshakeRequest}), what came back
 * ({@link dev.wsnetty.netty.client.ClientHandshakeResult}), and connecting it all
 * ({@link dev.wsnetty.netty.client.ClientConnector}), directly to every address of the server in turn or through an
 * HTTP CONNECT or SOCKS5 proxy ({@link dev.wsnetty.netty.client.ClientProxy},
 * {@link dev.wsnetty.netty.client.ClientProxySelector}). Opt-in: following redirects
 * ({@link dev.wsnetty.netty.client.RedirectPolicy}), and staying connected
 * ({@link dev.wsnetty.netty.client.ReconnectingClient} with a {@link dev.wsnetty.netty.client.ReconnectPolicy}, and
 * its {@link dev.wsnetty.netty.client.ReconnectingCommunicator}).
 */
package dev.wsnetty.netty.client;
