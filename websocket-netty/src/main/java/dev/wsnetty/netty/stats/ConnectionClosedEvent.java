package dev.wsnetty.netty.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: a WebSocket connection ended, with its close code (as {@code WebSocketCloseEvent} defines it). */
@Name("dev.wsnetty.ConnectionClosed")
@Label("WebSocket Connection Closed")
@Category({"wsnetty", "WebSocket"})
@Description("A WebSocket connection ended")
final class ConnectionClosedEvent extends jdk.jfr.Event {
    @Label("Role")
    @Description("server or client")
    String role;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Close Code")
    @Description("The peer's code when its Close arrived, else ours, else 1006")
    int code;

    @Label("Close Reason")
    String reason;

    @Label("Remote")
    @Description("Whether the peer's Close started the closing handshake")
    boolean remote;

    @Label("Clean")
    @Description("Whether both Close frames were exchanged")
    boolean clean;
}
