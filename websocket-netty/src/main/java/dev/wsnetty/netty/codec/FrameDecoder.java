package dev.wsnetty.netty.codec;

import dev.wsnetty.netty.WebSocketConfig;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** STUB (to be written by the codec work): bytes to {@link WebSocketFrame}s. */
public class FrameDecoder extends ChannelInboundHandlerAdapter {
    /** Creates a decoder for one connection. */
    public FrameDecoder(WebSocketConfig config, Role role) {
    }
}
