package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The publisher connection: performs the handshake on {@code /pub}, then keeps {@link FanoutPlan#window} messages
 * not yet delivered to every subscriber, sending the next as soon as one completes, until the measurement window
 * ends; then it waits for the rest to complete and tells the run. Each message is the template with its first 16
 * bytes replaced by the sequence number and {@code System.nanoTime()} at sending (big-endian), masked with
 * {@link LoadGenerator#MASK}. It expects nothing from the server but the answer to its Close. State lives on its
 * event loop.
 */
final class FanoutPublisher extends ChannelInboundHandlerAdapter {
    private enum State { HANDSHAKE, READY, RUNNING, DRAINING, CLOSING, DONE }

    private final FanoutPlan plan;
    private final ClientHandshake handshake;
    private final FanoutChecker checker;
    /** The frame header (with the mask key) and the masked template: only the stamp's 16 bytes change. */
    private final byte[] frame;
    private final int payloadStart;
    private final byte[] mask = new byte[4];
    private ChannelHandlerContext ctx;
    private State state = State.HANDSHAKE;
    private long sent;
    private long completed;
    private String failure;

    FanoutPublisher(FanoutPlan plan, byte[] maskedFrame) {
        this.plan = plan;
        this.handshake = new ClientHandshake(plan.host, plan.port, "/pub");
        this.checker = new FanoutChecker(plan.template, plan.opcode);
        this.frame = maskedFrame;
        this.payloadStart = maskedFrame.length - plan.template.readableBytes();
        for (int i = 0; i < 4; i++) {
            mask[i] = (byte) (LoadGenerator.MASK >>> (24 - 8 * i));
        }
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
                plan.publisherReady.countDown();
            }
            checker.read(in, (sequence, sentNanos) -> {
                throw new IllegalStateException("the publisher was sent message " + sequence);
            });
            if (checker.closeCode() >= 0) {
                if (state != State.CLOSING) {
                    throw new IllegalStateException("the server sent the publisher Close " + checker.closeCode());
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
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.DONE) {
            fail("the server closed the publisher's connection");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
    }

    /** Sends the first window of messages; on the event loop, once every subscriber is in. */
    void start() {
        if (state != State.READY) {
            return;
        }
        state = State.RUNNING;
        for (int i = 0; i < plan.window; i++) {
            send();
        }
        ctx.flush();
    }

    /** The oldest message in the window reached every subscriber. Any thread. */
    void completed() {
        if (ctx.executor().inEventLoop()) {
            onCompleted();
        } else {
            ctx.executor().execute(this::onCompleted);
        }
    }

    private void onCompleted() {
        completed++;
        if (state == State.RUNNING && System.nanoTime() < plan.measureEnd) {
            send();
            ctx.flush();
            return;
        }
        if (state == State.RUNNING) {
            state = State.DRAINING;
        }
        if (state == State.DRAINING && completed == sent) {
            plan.published.countDown();
        }
    }

    /** Sends Close; on the event loop, after the messages were delivered. */
    void close() {
        if (state == State.DRAINING || state == State.READY) {
            state = State.CLOSING;
            ctx.writeAndFlush(plan.close.duplicate()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    /** Gives up on a connection that did not finish in time; on the event loop. */
    void abandon() {
        if (state != State.DONE) {
            fail("publisher: " + (sent - completed) + " messages not delivered to every subscriber, state " + state);
        }
    }

    /** Messages sent. */
    long sent() {
        return sent;
    }

    /** Messages delivered to every subscriber. */
    long completedMessages() {
        return completed;
    }

    /** Why the connection failed, or {@code null}. */
    String failure() {
        return failure;
    }

    private void send() {
        long sequence = sent++;
        plan.undelivered.set((int) (sequence % plan.window), plan.subscribers);
        ByteBuf out = ctx.alloc().buffer(frame.length);
        out.writeBytes(frame, 0, payloadStart);
        long now = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            out.writeByte((int) (sequence >>> (56 - 8 * i)) ^ mask[i & 3]);
        }
        for (int i = 8; i < FanoutLoad.STAMP_BYTES; i++) {
            out.writeByte((int) (now >>> (56 - 8 * (i - 8))) ^ mask[i & 3]);
        }
        int stampEnd = payloadStart + FanoutLoad.STAMP_BYTES;
        out.writeBytes(frame, stampEnd, frame.length - stampEnd);
        ctx.write(out, ctx.voidPromise());
    }

    private void fail(String reason) {
        if (failure == null && state != State.DONE) {
            failure = reason;
        }
        if (state == State.HANDSHAKE) {
            plan.publisherReady.countDown();
        }
        state = State.DONE;
        ctx.close();
    }
}
