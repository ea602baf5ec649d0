package dev.wsnetty.netty.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: a WebSocket handshake was refused (server) or failed (client). */
@Name("dev.wsnetty.HandshakeFailed")
@Label("WebSocket Handshake Failed")
@Category({"wsnetty", "WebSocket"})
@Description("A WebSocket handshake was refused by the server or failed on the client")
final class HandshakeFailedEvent extends jdk.jfr.Event {
    @Label("Role")
    @Description("server or client")
    String role;

    @Label("Remote Address")
    String remoteAddress;

    @Label("HTTP Status")
    @Description("The refusal's status; 0 when a client got no valid response")
    int status;

    @Label("Reason")
    String reason;
}
