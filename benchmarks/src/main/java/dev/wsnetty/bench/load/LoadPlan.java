package dev.wsnetty.bench.load;

import dev.wsnetty.bench.wire.DeflatedMessages;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.CountDownLatch;

/**
 * What every connection of one load run shares: the pre-encoded masked frames it sends, the payload it
 * expects back, the in-flight window, the measurement window, and a latch counting finished handshakes.
 */
final class LoadPlan {
    final String host;
    final int port;
    final String path;
    final int opcode;
    final int inflight;
    /** The masked frame {@link #inflight} times, back to back, never released: a send writes a slice of it. */
    final ByteBuf frames;
    /** The length of one masked frame. */
    final int frameLength;
    /** The payload every echo must carry. */
    final ByteBuf expected;
    /** The Sec-WebSocket-Extensions offer, or null for none. */
    final String deflateOffer;
    /** With an offer: the messages sent in turn instead of {@link #frames}; else null. */
    final VariedMessages varied;
    /** The masked Close frame (1000) sent when a connection is done. */
    final ByteBuf close;
    final CountDownLatch handshakes;
    /** Set before any connection is started; connections copy them when started. */
    long measureStart;
    long measureEnd;

    /** @param varied for a permessage-deflate offer, the messages sent in turn; null for no offer */
    LoadPlan(LoadOptions options, int opcode, ByteBuf frames, VariedMessages varied, ByteBuf expected,
             ByteBuf close) {
        this.host = options.host();
        this.port = options.port();
        this.path = options.path();
        this.opcode = opcode;
        this.inflight = options.inflight();
        this.frames = frames;
        this.frameLength = frames.readableBytes() / inflight;
        this.expected = expected;
        this.deflateOffer = varied == null ? null : DeflatedMessages.BROWSER_OFFER;
        this.varied = varied;
        this.close = close;
        this.handshakes = new CountDownLatch(options.connections());
    }
}
