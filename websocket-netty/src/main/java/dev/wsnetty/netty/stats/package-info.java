/**
 * Statistics and events of WebSocket connections: {@link dev.wsnetty.netty.stats.WebSocketStatistics} (striped
 * counters the handlers update, read as a {@link dev.wsnetty.netty.stats.StatisticsSnapshot}) and
 * {@link dev.wsnetty.netty.stats.ConnectionTelemetry}, which also emits the JFR events
 * {@code dev.wsnetty.ConnectionOpened}, {@code dev.wsnetty.ConnectionClosed} and {@code dev.wsnetty.HandshakeFailed}
 * (recorded only when a JFR recording enables them).
 */
package dev.wsnetty.netty.stats;
