package dev.wsnetty.netty.conformance;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.testing.MessageEcho;

import java.time.Duration;

/**
 * The Autobahn|Testsuite echo server built from OUR handlers: the handshake of
 * {@link WebSocketPipeline#addServerHandshake}, then frame decoder, encoder and protocol handler, a
 * {@link MessageAggregator} and the tests' {@link MessageEcho} of every text and binary message (it records
 * nothing: the suite's messages reach 16 MiB). Keep-alive pings and the idle timeout stay off (the suite records
 * every pong it gets), and the size limits are 32 MiB so that the 16 MiB messages of section 9 fit, as do its
 * 4 MiB messages in 64-byte fragments (9.3.1, 9.4.1: 65,537 frames with the empty last one). The frame and message
 * deadlines are longer than the 100 s the suite waits for a section 9 echo, so that a slow sender fails its case,
 * not our deadline.
 */
public final class AutobahnEchoServer {
    /** Twice the largest message of section 9. */
    private static final int MAX_SIZE = 32 * 1024 * 1024;
    /** The most frames of a section 9 message: 4 MiB in 64-byte fragments, then the suite's empty final frame. */
    private static final int MAX_FRAMES = 4 * 1024 * 1024 / 64 + 1;
    /** Longer than the suite's 100 s wait for a section 9 echo. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private AutobahnEchoServer() {
    }

    /**
     * Serves until the calling thread is interrupted.
     *
     * @param args one argument, the port
     */
    public static void main(String[] args) {
        ServerHandshakeConfig settings = settings(config());
        AutobahnServerRunner.run(args, channel -> WebSocketPipeline.addServerHandshake(channel.pipeline(),
                settings.config(), new ServerHandshakeHandler(settings)));
    }

    /** The defaults (no keep-alive, no idle timeout) with limits and deadlines that fit section 9. */
    static WebSocketConfig config() {
        return WebSocketConfig.builder()
                .maxSize(MAX_SIZE)
                .maxFramesPerMessage(MAX_FRAMES)
                .frameTimeout(DEADLINE)
                .messageTimeout(DEADLINE)
                .build();
    }

    /** Every host and path leads to the echo endpoint. */
    static ServerHandshakeConfig settings(WebSocketConfig config) {
        WebSocketEndpoint echo = (channel, request, subprotocol) -> channel.pipeline()
                .addLast("aggregator", new MessageAggregator())
                .addLast("echo", new MessageEcho());
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", "/", echo, true, true);
        return ServerHandshakeConfig.builder(router).config(config).build();
    }
}
