package dev.wsnetty.netty.interop;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.client.ClientHandshakeResult;
import dev.wsnetty.netty.deflate.DeflateAgreement;
import dev.wsnetty.netty.deflate.DeflateParameters;
import dev.wsnetty.netty.testing.PythonWebsockets;
import dev.wsnetty.testing.Await;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our client's permessage-deflate offer against servers that compress: python-websockets (compression on by
 * default) and Netty's {@code websocketx} server with its {@link WebSocketServerCompressionHandler} (test scope
 * only). The answer must be one our client accepts, recorded in {@link DeflateAgreement}, and the connection opens
 * and closes cleanly; no data message is exchanged, as both servers compress every message.
 */
class ClientDeflateHandshakeInteropTest {
    private static final String LEAN_ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    private static EventLoopGroup group;

    @BeforeAll
    static void startEventLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopEventLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(Await.DEADLINE.toMillis());
    }

    @ParameterizedTest(name = "{0} client, python server answering {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // python-websockets compresses with a 4 KiB window by default: a smaller history to inflate from
            // and, as we offer client_max_window_bits, limits ours to 12 bits (we compress Huffman-only then)
            "LEAN             | default                   | " + LEAN_ANSWER + "; server_max_window_bits=12; client_max_window_bits=12 | true true 12 12",
            "CONTEXT_TAKEOVER | default                   | permessage-deflate; server_max_window_bits=12; client_max_window_bits=12 | false false 12 12",
            "CONTEXT_TAKEOVER | server_max_window_bits=10 | permessage-deflate; server_max_window_bits=10 | false false 10 15",
    })
    void pythonWebsocketsServerAnswerIsAccepted(CompressionMode mode, String serverOption, String answer,
                                                String agreed) throws Exception {
        String missing = PythonWebsockets.whyUnavailable();
        Assumptions.assumeTrue(missing == null, missing);
        Path script = Path.of(getClass().getResource("/peers/python_websockets_deflate_server.py").toURI());
        Process python = new ProcessBuilder(PythonWebsockets.PYTHON, script.toString(), serverOption)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return null;
                }
            }).get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(first, "the python server exited before listening");
            int port = Integer.parseInt(first.split(" ")[1]);
            connectAndClose(mode, port, answer, agreed);
        } finally {
            python.getOutputStream().close(); // the script exits at the end of its stdin
            if (!python.waitFor(10, TimeUnit.SECONDS)) {
                python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Netty's server refuses {@code server_no_context_takeover} unless configured to allow it, so it declines the
     * lean offer: the connection then opens uncompressed.
     */
    @ParameterizedTest(name = "{0} client, Netty's default compression server: {1}")
    @CsvSource(delimiter = '|', value = {
            "CONTEXT_TAKEOVER | permessage-deflate | false false 15 15",
            "LEAN             | none               | none",
    })
    void nettysCompressionServerAnswerIsAccepted(CompressionMode mode, String answer, String agreed)
            throws Exception {
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerCompressionHandler(0),
                                new WebSocketServerProtocolHandler("/", null, true));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        try {
            connectAndClose(mode, ((InetSocketAddress) server.localAddress()).getPort(), answer, agreed);
        } finally {
            server.close().sync();
        }
    }

    /**
     * {@code agreed}: "serverNoContextTakeover clientNoContextTakeover serverMaxWindowBits clientMaxWindowBits", or
     * "none".
     */
    private static void connectAndClose(CompressionMode mode, int port, String answer, String agreed)
            throws Exception {
        CompletableFuture<QueuedCommunicator> attached = new CompletableFuture<>();
        ClientConnection connection = new ClientConnector(group, NioSocketChannel.class).connect(
                ClientHandshakeRequest.builder("127.0.0.1").port(port)
                        .config(WebSocketConfig.builder().compression(mode).build()).build(),
                pipeline -> attached.complete(NettyCommunicators.attach(pipeline.channel())));
        ClientHandshakeResult result = connection.handshake().get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(result.success(), result::toString);
        assertEquals(answer.equals("none") ? null : answer, result.headers().get("Sec-WebSocket-Extensions"));
        Optional<DeflateParameters> expected = Optional.empty();
        if (!agreed.equals("none")) {
            String[] v = agreed.split(" ");
            expected = Optional.of(new DeflateParameters(Boolean.parseBoolean(v[0]), Boolean.parseBoolean(v[1]),
                    Integer.parseInt(v[2]), Integer.parseInt(v[3])));
        }
        assertEquals(expected, DeflateAgreement.of(connection.channel()));
        Communicator client = attached.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        client.close();
        assertEquals(1000, client.awaitClose(Await.DEADLINE).code(), "the server's answer to our Close");
    }
}
