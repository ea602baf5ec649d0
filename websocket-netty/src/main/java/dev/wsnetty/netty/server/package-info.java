/**
 * {@link dev.wsnetty.netty.server.WebSocketServer}: the original's {@code TWebSocketServer} on Netty, routing
 * handshakes to registered {@link dev.wsnetty.WebSocketHandler}s and giving each connection a blocking
 * communicator.
 */
package dev.wsnetty.netty.server;
