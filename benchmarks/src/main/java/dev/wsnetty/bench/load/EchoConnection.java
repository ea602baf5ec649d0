package dev.wsnetty.bench.load;

import dev.wsnetty.bench.wire.DeflatedMessages;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One load connection: performs the handshake, then keeps {@code inflight} pre-encoded messages in flight,
 * sending one more for every echo received until the measurement window ends, records the round-trip
 * time of each echo completed inside the window, and checks every echoed byte. When its last message is
 * back it sends Close and waits for the server to close. Any deviation fails the connection (recorded,
 * connection closed). All state lives on the channel's event loop.
 */
final class EchoConnection extends ChannelInboundHandlerAdapter {
    private enum State { HANDSHAKE, READY, RUNNING, CLOSING, DONE }

    private final LoadPlan plan;
    private final ClientHandshake handshake;
    /** Set at the handshake's end for a plan that offers permessage-deflate (the server's answer decides). */
    private EchoReader checker;
    /** With a permessage-deflate offer: whether the server agreed, so the messages go compressed. */
    private boolean compressing;
    /** With a permessage-deflate offer: the index of the next message to send in {@code plan.varied}. */
    private int nextVaried;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final long[] sentAt;
    private ChannelHandlerContext ctx;
    private State state = State.HANDSHAKE;
    private int head;
    private int inFlight;
    private long measureStart;
    private long measureEnd;
    private long messages;
    private boolean needFlush;
    private String failure;
    private boolean handshakeDone;

    EchoConnection(LoadPlan plan) {
        this.plan = plan;
        this.handshake = new ClientHandshake(plan.host, plan.port, plan.path, plan.deflateOffer);
        this.checker = plan.deflateOffer == null ? new EchoChecker(plan.expected, plan.opcode) : null;
        this.sentAt = new long[plan.inflight];
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
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
                state = State.READY;
                handshakeDone = true;
                if (checker == null) {
                    checker = new InflatingEchoChecker(plan.varied.payloads, plan.opcode, handshake.extensions());
                    compressing = DeflatedMessages.agreed(handshake.extensions());
                }
                plan.handshakes.countDown();
            }
            if (!in.isReadable()) {
                return;
            }
            if (state == State.READY) {
                throw new IllegalStateException("the server sent data before any message");
            }
            int echoes = checker.read(in);
            if (echoes > 0) {
                onEchoes(echoes);
            }
            if (checker.closeCode() >= 0) {
                onServerClose();
            }
        } catch (IllegalStateException e) {
            fail(e.getMessage());
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (needFlush) {
            needFlush = false;
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.CLOSING && state != State.DONE) {
            fail("the server closed the connection" + (state == State.RUNNING ? " while messages were in flight" : ""));
        }
        state = State.DONE;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (checker instanceof InflatingEchoChecker inflating) {
            inflating.end();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
    }

    /** Starts sending; on the event loop, after every connection's handshake. */
    void start() {
        if (state != State.READY) {
            return;
        }
        measureStart = plan.measureStart;
        measureEnd = plan.measureEnd;
        state = State.RUNNING;
        send(sentAt.length, System.nanoTime());
        ctx.flush();
    }

    /** Gives up on a connection that did not finish in time; on the event loop. */
    void abandon() {
        if (state == State.HANDSHAKE) {
            fail("handshake not complete in time");
        } else if (state != State.DONE) {
            fail(inFlight + " messages still unanswered after the drain time");
        }
    }

    /** Whether the opening handshake succeeded (whatever happened after). */
    boolean handshakeDone() {
        return handshakeDone;
    }

    /** With a permessage-deflate offer: the echoed frames' bytes on the wire and the echoes checked; else null. */
    long[] wireBytesAndEchoes() {
        return checker instanceof InflatingEchoChecker inflating
                ? new long[] {inflating.wireBytes(), inflating.echoes()} : null;
    }

    /** Whether the server agreed permessage-deflate, so messages go compressed. */
    boolean compressing() {
        return compressing;
    }

    long messages() {
        return messages;
    }

    LatencyHistogram latencies() {
        return latencies;
    }

    /** Why the connection failed, or {@code null}. */
    String failure() {
        return failure;
    }

    private void onEchoes(int echoes) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("echo received after the connection was closing");
        }
        if (echoes > inFlight) {
            throw new IllegalStateException("more echoes than messages sent");
        }
        long now = System.nanoTime();
        boolean measuring = now >= measureStart && now < measureEnd;
        for (int i = 0; i < echoes; i++) {
            long sent = sentAt[head];
            head = head + 1 == sentAt.length ? 0 : head + 1;
            inFlight--;
            if (measuring) {
                latencies.record(now - sent);
                messages++;
            }
        }
        if (now < measureEnd) {
            send(echoes, now);
            needFlush = true;
        } else if (inFlight == 0) {
            state = State.CLOSING;
            ctx.writeAndFlush(plan.close.duplicate()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    /** Sends {@code n} more messages, as one write. */
    private void send(int n, long now) {
        for (int i = 0; i < n; i++) {
            int tail = head + inFlight;
            sentAt[tail >= sentAt.length ? tail - sentAt.length : tail] = now;
            inFlight++;
        }
        if (plan.varied == null) {
            ctx.write(plan.frames.slice(0, n * plan.frameLength), ctx.voidPromise());
            return;
        }
        for (int i = 0; i < n; i++) {
            ctx.write(plan.varied.frame(nextVaried, compressing), ctx.voidPromise());
            nextVaried = nextVaried + 1 == VariedMessages.COUNT ? 0 : nextVaried + 1;
        }
    }

    private void onServerClose() {
        if (state != State.CLOSING) {
            throw new IllegalStateException("the server sent Close " + checker.closeCode() + " unasked");
        }
        state = State.DONE;
        ctx.close();
    }

    private void fail(String reason) {
        if (failure == null && state != State.DONE) {
            failure = reason;
        }
        if (state == State.HANDSHAKE) {
            plan.handshakes.countDown();
        }
        state = State.DONE;
        ctx.close();
    }
}
