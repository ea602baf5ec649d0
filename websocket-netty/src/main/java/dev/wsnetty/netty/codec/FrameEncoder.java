package dev.wsnetty.netty.codec;

import io.netty.channel.ChannelOutboundHandlerAdapter;

/** STUB (to be written by the codec work): {@link WebSocketFrame}s to bytes. */
public class FrameEncoder extends ChannelOutboundHandlerAdapter {
    /** Creates an encoder for one connection. */
    public FrameEncoder(Role role) {
    }
}
