package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.codec.WebSocketProtocolException;
import dev.wsnetty.netty.protocol.ProtocolTestSupport.Recorder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.netty.protocol.ProtocolTestSupport.buf;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.releaseAll;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Close for the peer's violation waits for a handler that holds the {@link FailureComingEvent}, at most the
 * drain timeout; without a holder (a frame pipeline) it goes out at once, as before.
 */
class ProtocolHandlerFailureDrainTest {
    private static final Duration DRAIN = Duration.ofSeconds(1);

    private final Recorder recorder = new Recorder();
    private final Holder holder = new Holder();
    private EmbeddedChannel ch;

    /** Holds every failure when asked to, and remembers the releases. */
    private static final class Holder extends ChannelInboundHandlerAdapter {
        boolean hold;
        final List<FailureComingEvent> seen = new ArrayList<>();
        final List<Runnable> releases = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof FailureComingEvent) {
                seen.add((FailureComingEvent) evt);
                if (hold) {
                    releases.add(((FailureComingEvent) evt).hold());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void open(Duration drain, boolean hold) {
        holder.hold = hold;
        WebSocketConfig config = WebSocketConfig.builder().failureDrainTimeout(drain).build();
        ch = new EmbeddedChannel(new ProtocolHandler(config, Role.SERVER), holder, recorder);
        ch.freezeTime();
    }

    @AfterEach
    void finish() {
        recorder.assertExhausted();
        ch.finishAndReleaseAll();
    }

    private void violate() {
        ch.pipeline().fireExceptionCaught(new WebSocketProtocolException(1002, "reserved opcode 3"));
        ch.runPendingTasks();
    }

    private void advance(Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    /** The frames written since the last call, as "text:..." or "close:code". */
    private List<String> out() {
        List<WebSocketFrame> frames = written(ch);
        List<String> described = new ArrayList<>();
        for (WebSocketFrame f : frames) {
            described.add(f.isClose() ? "close:" + f.closeCode() : "text:" + f.content().toString(
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        releaseAll(frames);
        return described;
    }

    @Test
    void withoutAHolderTheCloseGoesOutAtOnce() {
        open(DRAIN, false);
        violate();

        assertEquals(1, holder.seen.size(), "the event is offered");
        assertEquals(List.of("close:1002"), out());
    }

    @Test
    void aHeldFailureLetsWritesPassAndSendsTheCloseWhenReleased() {
        open(DRAIN, true);
        violate();
        assertEquals(List.of(), out());

        ch.writeAndFlush(WebSocketFrame.text(buf("the answer"), true));
        holder.releases.get(0).run();
        holder.releases.get(0).run(); // only the first run counts
        ch.runPendingTasks();

        assertEquals(List.of("text:the answer", "close:1002"), out());
        assertTrue(ch.isOpen(), "a failing server lingers for the peer's Close, as before");
    }

    @Test
    void aFailureNeverReleasedGoesOutAtTheDrainTimeoutNotBefore() {
        open(DRAIN, true);
        violate();

        advance(DRAIN.minusMillis(1));
        assertEquals(List.of(), out());
        advance(Duration.ofMillis(1));
        assertEquals(List.of("close:1002"), out());

        holder.releases.get(0).run(); // too late: changes nothing
        ch.runPendingTasks();
        assertEquals(List.of(), out());
    }

    @Test
    void theApplicationsCloseMeanwhileSendsTheViolationsCloseInstead() {
        open(DRAIN, true);
        violate();

        ch.writeAndFlush(WebSocketFrame.close(1000, ""));

        assertEquals(List.of("close:1002"), out());
        advance(DRAIN);
        assertEquals(List.of(), out(), "exactly one Close");
    }

    @Test
    void channelCloseMeanwhileSendsTheViolationsClose() {
        open(DRAIN, true);
        violate();

        ch.close();
        ch.runPendingTasks();

        assertEquals(List.of("close:1002"), out());
        assertEquals(1002, recorder.closeEvents.next().code());
    }

    @Test
    void aZeroDrainTimeoutOffersNoEventAndSendsAtOnce() {
        open(Duration.ZERO, true);
        violate();

        assertEquals(List.of(), holder.seen);
        assertEquals(List.of("close:1002"), out());
    }
}
