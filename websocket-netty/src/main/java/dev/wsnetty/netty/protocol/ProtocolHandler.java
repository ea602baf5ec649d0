package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import io.netty.channel.ChannelDuplexHandler;

/** STUB (to be written by the protocol work): close state, ping/pong, timeouts. */
public class ProtocolHandler extends ChannelDuplexHandler {
    /** Creates a protocol handler for one connection. */
    public ProtocolHandler(WebSocketConfig config, Role role) {
    }
}
