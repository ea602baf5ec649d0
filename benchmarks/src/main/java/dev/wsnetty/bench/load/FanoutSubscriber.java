package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One subscriber connection: performs the handshake on {@code /sub}, then checks every message the server sends
 * (all bytes, and the sequence numbers: 0, 1, 2, ... without a gap), records publish-to-delivery latency and counts
 * deliveries inside the measurement window, and reports each delivery to the plan. When told, sends Close and waits
 * for the server's. Any deviation fails the connection (recorded, connection closed). State lives on its loop.
 */
final class FanoutSubscriber extends ChannelInboundHandlerAdapter implements FanoutChecker.Listener {
    private enum State { HANDSHAKE, RUNNING, CLOSING, DONE }

    private final FanoutPlan plan;
    private final ClientHandshake handshake;
    private final FanoutChecker checker;
    private ChannelHandlerContext ctx;
    private LatencyHistogram latencies;
    private State state = State.HANDSHAKE;
    /** The sequence number the next message must carry, also the number of messages received. */
    private long next;
    private long delivered;
    private String failure;
    private boolean handshakeDone;
    private boolean released;

    FanoutSubscriber(FanoutPlan plan) {
        this.plan = plan;
        this.handshake = new ClientHandshake(plan.host, plan.port, "/sub");
        this.checker = new FanoutChecker(plan.template, plan.opcode);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.latencies = plan.latenciesOf(ctx.executor());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(handshake.request(ctx.alloc())).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (state == State.DONE) {
                return;
            }
            if (state == State.HANDSHAKE) {
                if (!handshake.read(in)) {
                    return;
                }
                state = State.RUNNING;
                handshakeDone = true;
                handshakeEnded();
                plan.subscribed.countDown();
            }
            checker.read(in, this);
            if (checker.closeCode() >= 0) {
                if (state != State.CLOSING) {
                    throw new IllegalStateException("the server sent Close " + checker.closeCode() + " unasked");
                }
                state = State.DONE;
                ctx.close();
            }
        } catch (IllegalStateException e) {
            fail(e.getMessage());
        } finally {
            in.release();
        }
    }

    @Override
    public void message(long sequence, long sentNanos) {
        if (sequence != next) {
            throw new IllegalStateException("received message " + sequence + ", expected " + next
                    + (sequence > next ? " (a gap)" : " (out of order or repeated)"));
        }
        next++;
        long now = System.nanoTime();
        if (now >= plan.measureStart && now < plan.measureEnd) {
            latencies.record(now - sentNanos);
            delivered++;
        }
        plan.delivered(sequence);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.DONE) {
            fail("the server closed the connection");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
    }

    /** Sends Close; on the event loop, once the publisher is done. */
    void close() {
        if (state == State.RUNNING) {
            state = State.CLOSING;
            ctx.writeAndFlush(plan.close.duplicate()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    /** Gives up on a connection that did not finish in time; on the event loop. */
    void abandon() {
        if (state != State.DONE) {
            fail(state == State.HANDSHAKE ? "handshake not complete in time" : "no Close from the server in time");
        }
    }

    /** Messages received (and checked) in all. */
    long received() {
        return next;
    }

    /** Messages received inside the measurement window. */
    long delivered() {
        return delivered;
    }

    /** Whether the opening handshake succeeded (whatever happened after). */
    boolean handshakeDone() {
        return handshakeDone;
    }

    /** Why the connection failed, or {@code null}. */
    String failure() {
        return failure;
    }

    /** A connect that failed before the handler saw anything. */
    void connectFailed(Throwable cause) {
        fail("connect: " + cause);
    }

    private void handshakeEnded() {
        if (!released) {
            released = true;
            plan.connecting.release();
        }
    }

    private void fail(String reason) {
        if (failure == null && state != State.DONE) {
            failure = reason;
        }
        if (state == State.HANDSHAKE) {
            handshakeEnded();
            plan.subscribed.countDown();
        }
        state = State.DONE;
        if (ctx != null) {
            ctx.close();
        }
    }
}
