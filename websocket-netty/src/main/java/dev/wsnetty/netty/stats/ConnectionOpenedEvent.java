package dev.wsnetty.netty.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: a connection switched to WebSocket. */
@Name("dev.wsnetty.ConnectionOpened")
@Label("WebSocket Connection Opened")
@Category({"wsnetty", "WebSocket"})
@Description("A connection switched to WebSocket after its handshake")
final class ConnectionOpenedEvent extends jdk.jfr.Event {
    @Label("Role")
    @Description("server or client")
    String role;

    @Label("Remote Address")
    String remoteAddress;
}
