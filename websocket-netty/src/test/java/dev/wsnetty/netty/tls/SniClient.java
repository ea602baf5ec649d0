package dev.wsnetty.netty.tls;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.client.ClientHandshakeHandler;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.client.ClientHandshakeResult;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our client's handshake over TLS to a host name that does not resolve: the TCP connection goes to 127.0.0.1,
 * while the {@code SslHandler}'s peer host (sent as SNI, checked against the certificate) and the {@code Host}
 * header name {@code hostName}, as they would for a real virtual host.
 */
final class SniClient {
    private SniClient() {
    }

    static Communicator connect(EventLoopGroup group, SslContext context, String hostName, int port) throws Exception {
        ClientHandshakeRequest request = ClientHandshakeRequest.builder(hostName).port(port).tls(true).build();
        CompletableFuture<ClientHandshakeResult> result = new CompletableFuture<>();
        CompletableFuture<Communicator> communicator = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WebSocketPipeline.addClientTls(ch.pipeline(), context.newHandler(ch.alloc(), hostName, port));
                        WebSocketPipeline.addClientHandshake(ch.pipeline(), request.config(), new ClientHandshakeHandler(request, result,
                                pipeline -> communicator.complete(NettyCommunicators.attach(pipeline.channel()))));
                    }
                })
                .connect("127.0.0.1", port);
        assertTrue(result.get(10, TimeUnit.SECONDS).success(), () -> "handshake refused: " + result.join());
        return communicator.get(10, TimeUnit.SECONDS);
    }
}
