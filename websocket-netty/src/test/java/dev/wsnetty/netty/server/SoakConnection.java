package dev.wsnetty.netty.server;

import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of a {@link SoakTest} run, the last handler of its pipeline: plays the part of its
 * {@link Kind}, checks every message it receives and that it ends once with the close code expected of it, and
 * records all of it in the run's {@link SoakTally}. {@link SoakClients} opens it and learns when it ends.
 *
 * <p>The fields without a comment are used on the channel's event loop only, so they need no lock.
 */
final class SoakConnection extends ChannelInboundHandlerAdapter {
    /** What a connection does while it is held. */
    enum Kind {
        /** Stays open without traffic until the churn or the end closes it. */
        IDLE,
        /**
         * Sends checked messages one at a time for a session of {@link SoakSettings#SESSION_MIN} to
         * {@link SoakSettings#SESSION_MAX}, then closes (by the client or, on request, the server).
         */
        ACTIVE,
        /** Asks for a flood and stops reading until the server's write timeout has closed it with 1011. */
        SLOW
    }

    private final long id;
    private final Kind kind;
    private final SoakClients clients;
    private final SoakSettings settings;
    private final SoakTally tally;
    /** Completes once it is open and started, or failed to open: the ramp-up's permits wait for it. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Set by {@link SoakClients#open} before the handshake can complete. */
    private volatile Channel channel;
    /** Whether its end opens a new connection (churn, a finished session); set by the side that closes it. */
    private volatile boolean replaceOnClose;
    /** The close code it must end with: 0 until the test decides how it ends. */
    private int expectedCode;
    private int closeEvents;
    /** The last close event's code, -1 before any. */
    private int closeCode = -1;
    /** The next message number (active). */
    private long seq;
    /** The number of messages of its session (active). */
    private int sessionLength;
    /** The message awaiting its echo, null when none (active). */
    private SoakMessages.Plan pending;
    /** The frames of the message arriving. */
    private final ByteArrayOutputStream incoming = new ByteArrayOutputStream();
    private int incomingFrames;
    private boolean incomingText;
    /** The next flood message's index (slow). */
    private int floodIndex;

    SoakConnection(long id, Kind kind, SoakClients clients, SoakSettings settings, SoakTally tally) {
        this.id = id;
        this.kind = kind;
        this.clients = clients;
        this.settings = settings;
        this.tally = tally;
    }

    long id() {
        return id;
    }

    Kind kind() {
        return kind;
    }

    Channel channel() {
        return channel;
    }

    void channel(Channel channel) {
        this.channel = channel;
    }

    boolean replaceOnClose() {
        return replaceOnClose;
    }

    /** Completes once it is open and started, or failed to open. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Records that the handshake failed; the connection never starts. */
    void failedToOpen(String why) {
        tally.handshakeFailed("handshake of connection " + id + " failed: " + why);
        ready.complete(null);
    }

    /** Plays its part, once open; on the event loop. */
    void start() {
        if (clients.stopping() && kind != Kind.ACTIVE) {
            closeByClient(); // opened as a replacement just before the end
        } else {
            switch (kind) {
                case IDLE -> clients.becameIdle(this);
                case ACTIVE -> {
                    tally.sessionStarted();
                    sessionLength = ThreadLocalRandom.current()
                            .nextInt(SoakSettings.SESSION_MIN, SoakSettings.SESSION_MAX + 1);
                    sendNext();
                }
                case SLOW -> startSlowReader();
            }
        }
        ready.complete(null);
    }

    /** Sends Close 1000 unless its end is decided already; on the event loop. */
    void closeByClient() {
        if (expectedCode == 0) {
            expectedCode = 1000;
            channel.writeAndFlush(WebSocketFrame.close(1000, "bye"));
        }
    }

    /** Closes it and opens another in its place, half the time by the client, half by the server; any thread. */
    void churn() {
        replaceOnClose = true;
        boolean byClient = ThreadLocalRandom.current().nextBoolean();
        channel.eventLoop().execute(byClient ? this::closeByClient : this::askServerToClose);
    }

    private void askServerToClose() {
        if (expectedCode == 0) {
            expectedCode = SoakServerMain.ASKED_CLOSE_CODE;
            channel.writeAndFlush(WebSocketFrame.text("CLOSE_ME"));
        }
    }

    /** Asks for more than the socket buffers hold and stops reading until after the server's write timeout. */
    private void startSlowReader() {
        expectedCode = 1011;
        channel.writeAndFlush(WebSocketFrame.text("FLOOD " + SoakSettings.FLOOD_MESSAGES + " "
                + SoakSettings.FLOOD_SIZE));
        channel.config().setAutoRead(false);
        channel.eventLoop().schedule(() -> {
            channel.config().setAutoRead(true);
            channel.read();
        }, settings.slowReaderUnreadMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends the session's next message, or ends the session (and any at the end of the run). */
    private void sendNext() {
        if (clients.stopping() || seq == sessionLength) {
            replaceOnClose = !clients.stopping();
            if (clients.stopping() || ThreadLocalRandom.current().nextBoolean()) {
                closeByClient();
            } else {
                askServerToClose();
            }
            return;
        }
        pending = SoakMessages.message(id, seq++);
        byte[] payload = pending.payload;
        int[] cuts = pending.cuts;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : payload.length;
            ByteBuf part = Unpooled.wrappedBuffer(payload, from, to - from);
            boolean fin = i == cuts.length;
            WebSocketFrame frame = i > 0 ? WebSocketFrame.continuation(part, fin)
                    : pending.text ? WebSocketFrame.text(part, fin) : WebSocketFrame.binary(part, fin);
            channel.write(frame);
            from = to;
        }
        channel.flush();
        tally.sent(cuts.length > 0);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame.isControl()) {
                return;
            }
            if (incomingFrames == 0) {
                incomingText = frame.isText();
            }
            incomingFrames++;
            frame.content().readBytes(incoming, frame.content().readableBytes());
            if (frame.isFinal()) {
                byte[] message = incoming.toByteArray();
                if (incomingFrames > 1) {
                    tally.arrivedInSeveralFrames();
                }
                incoming.reset();
                incomingFrames = 0;
                onMessage(incomingText, message);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            frame.release();
        }
    }

    private void onMessage(boolean text, byte[] message) {
        switch (kind) {
            case ACTIVE -> checkEcho(text, message);
            case SLOW -> {
                byte[] expected = SoakMessages.flood(floodIndex, SoakSettings.FLOOD_SIZE);
                if (text || !Arrays.equals(expected, message)) {
                    tally.fail("slow reader " + id + " flood message " + floodIndex + " is wrong");
                }
                floodIndex++;
                tally.floodChecked(message.length);
            }
            case IDLE -> tally.fail("idle connection " + id + " got a message");
        }
    }

    /** Checks the echo of the pending message and, after a random pause, sends the next. */
    private void checkEcho(boolean text, byte[] message) {
        if (pending == null || pending.text != text || !Arrays.equals(pending.payload, message)) {
            tally.fail("connection " + id + " message " + (seq - 1) + ": wrong echo ("
                    + (text ? "text" : "binary") + ", " + message.length + " bytes)");
            return;
        }
        pending = null;
        tally.echoChecked(message.length);
        if (settings.pauseMillis() > 0) {
            channel.eventLoop().schedule(this::sendNext,
                    ThreadLocalRandom.current().nextLong(settings.pauseMillis() + 1), TimeUnit.MILLISECONDS);
        } else {
            sendNext();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketCloseEvent close) {
            closeEvents++;
            closeCode = close.code();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeEvents != 1 || closeCode != expectedCode) {
            tally.fail("connection " + id + " (" + kind + ") ended with " + closeEvents + " close events,"
                    + " code " + closeCode + ", expected one with " + expectedCode);
        }
        if (pending != null) {
            tally.fail("connection " + id + " closed with message " + (seq - 1) + " unanswered");
        }
        if (kind == Kind.SLOW) {
            tally.slowReaderEnded(closeCode, floodIndex);
        }
        tally.closed(closeCode);
        clients.ended(this);
        ctx.fireChannelInactive();
    }
}
