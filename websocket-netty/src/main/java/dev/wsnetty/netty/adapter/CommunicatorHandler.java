package dev.wsnetty.netty.adapter;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.PongMessage;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.internal.Log;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.CloseComingEvent;
import dev.wsnetty.netty.protocol.FailureComingEvent;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * The event loop's side of a {@link QueuedCommunicator}: the last handler of a connection's pipeline, after the
 * {@link dev.wsnetty.netty.protocol.MessageAggregator}. It copies each whole text or binary message and each pong
 * out of its buffer (releasing the buffer at once, so no pooled memory waits in the queue for a slow handler) and
 * delivers it to the communicator, waking the handler thread once per read from the socket rather than once per
 * message, after the event loop's pass over all ready channels; when the peer violated the protocol, it holds the
 * failing Close until the handler has taken the messages that came before the violation
 * ({@link FailureComingEvent}); it reports the end of the connection exactly once, with the code and reason of the
 * {@link WebSocketCloseEvent}; and it wakes writers blocked in the {@link ChannelTransport} when the channel's
 * writability changes or the channel goes away.
 *
 * <p>It keeps no close state of its own: whether the end was reported is the communicator's
 * {@link QueuedCommunicator#closeStatus()}, which only this handler sets, on the event loop.
 */
final class CommunicatorHandler extends ChannelInboundHandlerAdapter implements Runnable {
    private static final Log LOG = Log.of(CommunicatorHandler.class);

    private final QueuedCommunicator communicator;
    private final ChannelTransport transport;
    /** This read delivered a message whose waiter is not woken yet; event loop only. */
    private boolean wakeDue;

    CommunicatorHandler(QueuedCommunicator communicator, ChannelTransport transport) {
        this.communicator = communicator;
        this.transport = transport;
    }

    /** A channel that closed before this handler was added can never report its end otherwise. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            reportClosed(WebSocketCloseEvent.CONNECTION_LOST.code(), WebSocketCloseEvent.CONNECTION_LOST.reason());
        }
    }

    /** Delivers messages and pongs; notes the peer's Close frame. Other objects are passed on. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        WebSocketMessage message = null;
        try {
            switch (frame.opcode()) {
                case WebSocketProtocol.OPCODE_TEXT:
                    // The decoder validated the UTF-8 of the whole message.
                    message = new StringMessage(frame.content().toString(StandardCharsets.UTF_8));
                    break;
                case WebSocketProtocol.OPCODE_BINARY:
                    message = new BinaryMessage(ByteBufUtil.getBytes(frame.content()));
                    break;
                case WebSocketProtocol.OPCODE_PONG:
                    message = new PongMessage(ByteBufUtil.getBytes(frame.content()));
                    break;
                case WebSocketProtocol.OPCODE_CLOSE:
                    // The protocol handler answers it and closes the connection; writes must stop now.
                    transport.stopWrites();
                    break;
                default:
                    // Fragments and pings never get here: the aggregator and the protocol handler consume them.
                    break;
            }
        } finally {
            frame.release();
        }
        if (message != null) {
            communicator.deliverInBatch(message);
            wakeDue = true;
        }
    }

    /**
     * The read from the socket is over: the handler thread is woken for the messages it brought by a task that
     * runs once the event loop has read every ready channel ({@link #run}). Woken at once, a platform handler
     * thread on the same core preempts the loop after each channel's read, and the loop gets the core back only
     * when that handler parks again: two thread switches per read. Woken after the pass, the handlers run one after
     * the other and the loop then writes all their replies in one go.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (wakeDue) {
            wakeDue = false;
            try {
                ctx.executor().execute(this);
            } catch (RejectedExecutionException e) {
                communicator.endOfBatch(); // the loop is shutting down: no pass to wait for
            }
        }
        ctx.fireChannelReadComplete();
    }

    /** Wakes the handler thread for the messages delivered by the last read; a task of the event loop. */
    @Override
    public void run() {
        communicator.endOfBatch();
    }

    /**
     * Reports the end of the connection with the protocol handler's code and reason; before the protocol handler
     * sends a Close of its own, writes the frames writers handed over and refuses later ones; holds the failure for
     * the peer's violation until the handler has taken the messages that came before it.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof FailureComingEvent) {
            // Woken at the end of this read (channelReadComplete), the handler takes them; its writes pass till then.
            communicator.whenTaken(((FailureComingEvent) evt).hold());
        } else if (evt == CloseComingEvent.INSTANCE) {
            transport.stopWrites();
        } else if (evt instanceof WebSocketCloseEvent) {
            WebSocketCloseEvent closed = (WebSocketCloseEvent) evt;
            reportClosed(closed.code(), closed.reason());
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Reports the end as 1006 if no close event came first (a pipeline without a protocol handler). */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reportClosed(WebSocketCloseEvent.CONNECTION_LOST.code(), WebSocketCloseEvent.CONNECTION_LOST.reason());
        ctx.fireChannelInactive();
    }

    /** Wakes writers waiting for the channel to become writable. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        transport.wakeWriters();
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * The protocol handler has already acted on the failure (closed the connection); what is left is to log it.
     * A broken connection (reset by the peer) is routine; anything else is worth a warning.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.log(Log.Level.DEBUG, () -> "WebSocket connection " + ctx.channel() + " failed", cause);
        } else {
            LOG.log(Log.Level.WARN, "WebSocket connection " + ctx.channel() + " failed", cause);
        }
    }

    private void reportClosed(int code, String reason) {
        if (communicator.closeStatus() != null) {
            return; // reported already: the close event came before channelInactive
        }
        communicator.endOfBatch();
        transport.stopWrites();
        communicator.closed(new CloseStatus(code, reason));
    }
}
