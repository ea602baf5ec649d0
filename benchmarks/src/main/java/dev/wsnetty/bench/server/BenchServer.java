package dev.wsnetty.bench.server;

import dev.wsnetty.bench.Transports;
import dev.wsnetty.netty.tls.TlsServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A running benchmark server: one event loop thread (accepting and serving), listening on loopback,
 * plus its {@link ServerControl} port. The echo servers differ only in the pipeline they install.
 */
public final class BenchServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel listener;
    private final ServerControl control;

    private BenchServer(EventLoopGroup group, Channel listener, ServerControl control) {
        this.group = group;
        this.listener = listener;
        this.control = control;
    }

    /**
     * Starts a server whose connections get {@code initializer}.
     *
     * @param port port to listen on, 0 for any free one
     * @param controlPort port of the control listener, 0 for any free one
     */
    public static BenchServer start(int port, int controlPort, ChannelHandler initializer) throws IOException {
        EventLoopGroup group = Transports.newGroup(1, "server");
        try {
            Channel listener = new ServerBootstrap().group(group)
                    .channel(Transports.serverSocketChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .syncUninterruptibly().channel();
            return new BenchServer(group, listener, ServerControl.start(controlPort));
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The {@code main} of each echo server: {@code <port> [controlPort] [--tls | --tls-cert F --tls-key F]}
     * (defaults 8080, port + 1, plain ws); prints one "listening" line and serves until the process is killed.
     *
     * @param initializer the per-connection pipeline, given the TLS configuration (null for plain ws)
     */
    static void run(String name, String[] args, Function<TlsServerConfig, ChannelHandler> initializer)
            throws IOException, InterruptedException {
        List<String> positional = new ArrayList<>();
        boolean selfSigned = false;
        Path certificate = null;
        Path key = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tls":
                    selfSigned = true;
                    break;
                case "--tls-cert":
                    certificate = Path.of(valueAfter(args, i++));
                    break;
                case "--tls-key":
                    key = Path.of(valueAfter(args, i++));
                    break;
                default:
                    positional.add(args[i]);
                    break;
            }
        }
        int port = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 8080;
        int controlPort = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : port + 1;
        TlsServerConfig tls = BenchTls.fromOptions(selfSigned, certificate, key);
        BenchServer server = start(port, controlPort, initializer.apply(tls));
        System.out.println(name + " listening on 127.0.0.1:" + server.port() + " (" + Transports.name()
                + (tls != null ? ", TLS" : "") + "), control port " + server.controlPort());
        server.listener.closeFuture().sync();
    }

    /** {@link #run(String, String[], Function)} for a server without TLS support: TLS options are refused. */
    static void run(String name, String[] args, ChannelHandler initializer) throws IOException, InterruptedException {
        run(name, args, tls -> {
            if (tls != null) {
                throw new IllegalArgumentException(name + " has no TLS option");
            }
            return initializer;
        });
    }

    private static String valueAfter(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException("missing value after " + args[i]);
        }
        return args[i + 1];
    }

    /** The port listened on. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The control port. */
    public int controlPort() {
        return control.port();
    }

    /** Stops listening, closes every connection and the control port. */
    @Override
    public void close() {
        control.close();
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
