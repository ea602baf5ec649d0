package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Optional handler, placed after the {@link ProtocolHandler}, that turns data frames and frame pieces into
 * whole messages: for each message it passes on one {@link WebSocketFrame} with opcode text or binary and
 * {@code fin} set. The content of a message made of several pieces is a {@link CompositeByteBuf} over the
 * pieces' buffers (no copy); a message that arrived as a single frame is passed on unchanged, and empty
 * pieces are dropped. Control frames (ping, pong, close) are passed on at once, also in the middle of a
 * message.
 *
 * <p>No size limit is applied here: the frame decoder already enforces
 * {@link dev.wsnetty.netty.WebSocketConfig#maxMessageSize()} and fails the connection with 1009. It also
 * guarantees the fragment order (a continuation only inside a message, no new message inside one); frames
 * from a source that breaks that order are passed on unchanged. A partial message is released when the
 * channel becomes inactive or the handler is removed.
 */
public final class MessageAggregator extends ChannelInboundHandlerAdapter {
    /**
     * Components kept before the composite consolidates (copies) them into one buffer: many tiny
     * fragments would otherwise cost a component object each and pin every read buffer they came from.
     */
    private static final int MAX_COMPONENTS = 1024;

    /** The opcode of the message being assembled, or -1 between messages. */
    private int opcode = -1;
    /** The message so far: the first piece's buffer, or a composite once a second piece arrives. */
    private ByteBuf content;

    /** Creates an aggregator for one connection. */
    public MessageAggregator() {
    }

    /** Collects data pieces into messages and passes control frames and whole messages on. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame) || ((WebSocketFrame) msg).isControl()) {
            ctx.fireChannelRead(msg);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        if (opcode < 0) {
            if (frame.isFinal() || frame.isContinuation()) {
                ctx.fireChannelRead(frame);
                return;
            }
            opcode = frame.opcode();
            content = frame.content(); // the frame's only reference is its content: ownership moves here
            return;
        }
        if (!frame.isContinuation()) {
            ctx.fireChannelRead(frame);
            return;
        }
        append(ctx, frame.content());
        if (frame.isFinal()) {
            WebSocketFrame message = new WebSocketFrame(opcode, true, content);
            opcode = -1;
            content = null;
            ctx.fireChannelRead(message);
        }
    }

    private void append(ChannelHandlerContext ctx, ByteBuf piece) {
        if (!piece.isReadable()) {
            piece.release();
            return;
        }
        if (!content.isReadable()) {
            content.release();
            content = piece;
            return;
        }
        CompositeByteBuf composite;
        if (content instanceof CompositeByteBuf) {
            composite = (CompositeByteBuf) content;
        } else {
            composite = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
            composite.addComponent(true, content);
            content = composite;
        }
        composite.addComponent(true, piece);
    }

    /** Releases a partial message. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePartial();
        super.channelInactive(ctx);
    }

    /** Releases a partial message. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePartial();
    }

    private void releasePartial() {
        if (content != null) {
            content.release();
            content = null;
            opcode = -1;
        }
    }
}
