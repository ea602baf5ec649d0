package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What the pipeline becomes on upgrade, and that bytes arriving in the same read as the request reach the
 * frame handlers, for the usual and the drop-in HTTP setups. EmbeddedChannel makes "the same read" exact.
 */
class HandshakePipelineTest {
    private static final List<String> UPGRADED = List.of(
            WebSocketPipeline.DECODER, WebSocketPipeline.ENCODER, WebSocketPipeline.PROTOCOL, "received");

    @RegisterExtension
    final EventRecorder<Object> events = new EventRecorder<>("endpoint event");

    private final RecordingEndpoint endpoint = new RecordingEndpoint(events);
    private final ServerHandshakeConfig settings = TestServer.everywhere(endpoint).build();

    @Test
    void framesInTheSameReadAsTheRequestReachTheFrameHandlers() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.concat(UpgradeRequest.to("/").toString(), Wire.MASKED_HI)));
        assertUpgraded(ch);
    }

    @Test
    void aFrameSplitAcrossTheRequestsReadAndTheNextArrivesWhole() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
        byte[] firstRead = Wire.concat(UpgradeRequest.to("/").toString(), Arrays.copyOf(Wire.MASKED_HI, 3));
        ch.writeInbound(Unpooled.wrappedBuffer(firstRead));
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(Wire.MASKED_HI, 3, Wire.MASKED_HI.length)));
        assertUpgraded(ch);
    }

    @Test
    void theRequestsBodyIsDiscardedAndWhatFollowsItIsFrames() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
        String request = UpgradeRequest.to("/").header("Content-Length", "4").toString() + "body";
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.concat(request, Wire.MASKED_HI)));
        assertUpgraded(ch);
    }

    @Test
    void worksBehindAnAggregatorAndRemovesIt() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new HttpServerCodec());
        ch.pipeline().addLast(new HttpObjectAggregator(1024));
        ch.pipeline().addLast(new ServerHandshakeHandler(settings));
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.concat(UpgradeRequest.to("/").toString(), Wire.MASKED_HI)));
        assertUpgraded(ch);
    }

    @Test
    void worksWithASeparateRequestDecoderAndResponseEncoderAndRemovesBoth() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new HttpResponseEncoder(), new HttpRequestDecoder(), new ServerHandshakeHandler(settings));
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.concat(UpgradeRequest.to("/").toString(), Wire.MASKED_HI)));
        assertUpgraded(ch);
    }

    private void assertUpgraded(EmbeddedChannel ch) throws Exception {
        ByteBuf response = ch.readOutbound();
        try {
            assertEquals(Wire.switching(null), response.toString(StandardCharsets.ISO_8859_1));
        } finally {
            response.release();
        }
        endpoint.assertUpgraded();
        endpoint.assertReceived("hi");
        assertEquals(UPGRADED, RecordingEndpoint.names(ch));
        // The frame handlers own the connection now: closing it sends Close 1000 first.
        ch.close();
        ByteBuf close = ch.readOutbound();
        try {
            assertArrayEquals(Wire.CLOSE_1000, ByteBufUtil.getBytes(close));
        } finally {
            close.release();
        }
        assertFalse(ch.finishAndReleaseAll());
    }
}
