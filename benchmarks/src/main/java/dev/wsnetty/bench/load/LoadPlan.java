package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CountDownLatch;

/**
 * What every connection of one load run shares: the pre-encoded masked frame it sends, the payload it
 * expects back, the in-flight window, the measurement window, and a latch counting finished handshakes.
 */
final class LoadPlan {
    final String host;
    final int port;
    final String path;
    final int opcode;
    final int inflight;
    /** The masked frame, never released: each send writes a duplicate. */
    final ByteBuf frame;
    /** The payload every echo must carry. */
    final ByteBuf expected;
    /** The masked Close frame (1000) sent when a connection is done. */
    final ByteBuf close;
    final CountDownLatch handshakes;
    /** Set before any connection is started; connections copy them when started. */
    long measureStart;
    long measureEnd;

    LoadPlan(LoadOptions options, int opcode, ByteBuf frame, ByteBuf expected, ByteBuf close) {
        this.host = options.host();
        this.port = options.port();
        this.path = options.path();
        this.opcode = opcode;
        this.inflight = options.inflight();
        this.frame = frame;
        this.expected = expected;
        this.close = close;
        this.handshakes = new CountDownLatch(options.connections());
    }
}
