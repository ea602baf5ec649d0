/**
 * The Netty-level WebSocket client: the opening handshake ({@link dev.wsnetty.netty.client.ClientHandshakeHandler}),
 * what to ask for ({@link dev.wsnetty.netty.client.ClientHandshakeRequest}), what came back
 * ({@link dev.wsnetty.netty.client.ClientHandshakeResult}), and connecting it all
 * ({@link dev.wsnetty.netty.client.ClientConnector}).
 */
package dev.wsnetty.netty.client;
