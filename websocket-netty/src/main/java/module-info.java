/**
 * wsnetty on Netty: the RFC 6455 handshake, frame codec and protocol handlers
 * ({@link dev.wsnetty.netty.pipeline.WebSocketPipeline} lists them), the blocking API on a channel, the server, the
 * client and TLS. The
 * {@code dev.wsnetty.netty.internal} packages (masking and UTF-8 kernels, buffer copies, the accept key, TLS
 * plumbing) are not exported.
 */
module dev.wsnetty.netty {
    requires transitive dev.wsnetty;
    requires transitive io.netty.buffer;
    requires transitive io.netty.codec.http;
    requires transitive io.netty.common;
    requires transitive io.netty.handler;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler.proxy;
    requires transitive io.netty.resolver;
    // The JFR events of dev.wsnetty.netty.stats.
    requires jdk.jfr;
    requires io.netty.transport.classes.epoll;
    // Optional (IoType.IO_URING): absent at run time, io_uring is simply not used.
    requires static io.netty.transport.classes.io_uring;

    exports dev.wsnetty.netty;
    exports dev.wsnetty.netty.adapter;
    exports dev.wsnetty.netty.client;
    exports dev.wsnetty.netty.codec;
    exports dev.wsnetty.netty.deflate;
    exports dev.wsnetty.netty.handshake;
    exports dev.wsnetty.netty.pipeline;
    exports dev.wsnetty.netty.protocol;
    exports dev.wsnetty.netty.server;
    exports dev.wsnetty.netty.stats;
    exports dev.wsnetty.netty.tls;
    exports dev.wsnetty.netty.topics;

    // wsnetty's logs through Netty's InternalLoggerFactory (dev.wsnetty.internal.Log).
    provides dev.wsnetty.internal.LogBackend with dev.wsnetty.netty.internal.NettyLogBackend;
}
