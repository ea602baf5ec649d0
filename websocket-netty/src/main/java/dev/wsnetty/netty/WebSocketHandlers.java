package dev.wsnetty.netty;

import dev.wsnetty.netty.codec.FrameDecoder;
import dev.wsnetty.netty.codec.FrameEncoder;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.protocol.ProtocolHandler;
import io.netty.channel.ChannelPipeline;

/**
 * Installs the WebSocket frame handlers into a pipeline once the HTTP upgrade is done: decoder,
 * encoder and protocol handler, in that order, after a given handler. Whatever the user adds after
 * {@link #PROTOCOL} receives {@link dev.wsnetty.netty.codec.WebSocketFrame}s.
 */
public final class WebSocketHandlers {
    /** Pipeline name of the {@link FrameDecoder}. */
    public static final String DECODER = "ws-decoder";
    /** Pipeline name of the {@link FrameEncoder}. */
    public static final String ENCODER = "ws-encoder";
    /** Pipeline name of the {@link ProtocolHandler}. */
    public static final String PROTOCOL = "ws-protocol";

    private WebSocketHandlers() {
    }

    /**
     * Adds decoder, encoder and protocol handler right after the handler named {@code after}.
     *
     * @return the pipeline, for chaining
     */
    public static ChannelPipeline addAfter(ChannelPipeline pipeline, String after, WebSocketConfig config, Role role) {
        pipeline.addAfter(after, DECODER, new FrameDecoder(config, role));
        pipeline.addAfter(DECODER, ENCODER, new FrameEncoder(role));
        pipeline.addAfter(ENCODER, PROTOCOL, new ProtocolHandler(config, role));
        return pipeline;
    }

    /**
     * Adds decoder, encoder and protocol handler at the end of the pipeline.
     *
     * @return the pipeline, for chaining
     */
    public static ChannelPipeline addLast(ChannelPipeline pipeline, WebSocketConfig config, Role role) {
        pipeline.addLast(DECODER, new FrameDecoder(config, role));
        pipeline.addLast(ENCODER, new FrameEncoder(role));
        pipeline.addLast(PROTOCOL, new ProtocolHandler(config, role));
        return pipeline;
    }
}
