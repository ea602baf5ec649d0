package dev.wsnetty.netty.client;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One connection of {@link ClientConnector}, from the first hop's name to the handshake's outcome. The first
 * hop is the server, or the proxy when there is one. All its addresses are resolved and tried in the order the
 * resolver gives them (the JDK's: IPv4 first unless {@code java.net.preferIPv6Addresses} says otherwise), each on
 * a fresh channel, until one connects; the handshake's outcome on that channel is the connection's. So a
 * dual-stack host whose first address refuses or does not answer within the connect timeout is reached on the
 * next one. Once TCP is connected nothing else is tried: a failing proxy or handshake is the answer.
 *
 * <p>Through a proxy, the proxy's handler is put first in each channel's pipeline before it connects, and the
 * channel connects to the server's name unresolved (or its address, for an IP literal): the proxy handler turns
 * that into a connection to the proxy's address and asks the proxy for the server.
 */
final class AddressAttempts {
    private final Bootstrap bootstrap;
    private final ClientHandshakeRequest request;
    /** The proxy, or null to connect directly. */
    private final ClientProxy proxy;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    /** Adds TLS and the handshake handler to a new channel, the handler completing the given future. */
    private final BiConsumer<ChannelPipeline, CompletableFuture<ClientHandshakeResult>> setup;
    private final CompletableFuture<ClientHandshakeResult> outcome = new CompletableFuture<>();
    /** The failures of the addresses tried so far; touched by one attempt at a time, each after the last. */
    private final List<Throwable> failures = new ArrayList<>();
    private ClientConnection connection;
    private List<InetSocketAddress> addresses;

    AddressAttempts(Bootstrap bootstrap, ClientHandshakeRequest request, ClientProxy proxy,
                    AddressResolverGroup<InetSocketAddress> resolvers,
                    BiConsumer<ChannelPipeline, CompletableFuture<ClientHandshakeResult>> setup) {
        this.bootstrap = bootstrap;
        this.request = request;
        this.proxy = proxy;
        this.resolvers = resolvers;
        this.setup = setup;
    }

    /** Registers the first channel now and starts resolving; never blocks. */
    ClientConnection start() {
        Try first = newTry();
        connection = new ClientConnection(first.registered.channel(), outcome);
        first.registered.addListener(f -> {
            if (!f.isSuccess()) {
                failed(f.cause());
                return;
            }
            String host = proxy != null ? proxy.host() : request.host();
            int port = proxy != null ? proxy.port() : request.port();
            InetSocketAddress name = InetSocketAddress.createUnresolved(host, port);
            resolvers.getResolver(first.channel().eventLoop()).resolveAll(name)
                    .addListener(resolved -> {
                        if (resolved.isSuccess()) {
                            @SuppressWarnings("unchecked")
                            List<InetSocketAddress> all = (List<InetSocketAddress>) resolved.getNow();
                            addresses = List.copyOf(all);
                            if (addresses.isEmpty()) {
                                first.channel().close();
                                failed(new UnknownHostException("no addresses for " + host));
                            } else {
                                connect(first, 0);
                            }
                        } else {
                            first.channel().close();
                            failed(resolved.cause());
                        }
                    });
        });
        return connection;
    }

    private void connect(Try attempt, int index) {
        // The channel first, then the check: a close() in between closes either this channel or the previous one
        // after which the check sees it (both fields are volatile), never the previous one alone.
        connection.channel(attempt.channel());
        if (connection.isClosed()) {
            attempt.channel().close();
            failed(new ClosedChannelException());
            return;
        }
        InetSocketAddress address = addresses.get(index);
        ProxyHandler proxyHandler = null;
        SocketAddress remote = address;
        if (proxy != null) {
            proxyHandler = ProxyHandlers.create(proxy, address, request.config().handshakeTimeout());
            WebSocketPipeline.addClientProxy(attempt.channel().pipeline(), proxyHandler);
            remote = serverAddressForProxy();
        }
        ProxyHandler tunnel = proxyHandler;
        attempt.channel().connect(remote).addListener(f -> {
            if (f.isSuccess()) {
                follow(attempt, tunnel);
                return;
            }
            failures.add(f.cause());
            if (index + 1 == addresses.size() || f.cause() instanceof ClosedChannelException || connection.isClosed()) {
                failed(null);
                return;
            }
            Try nextTry = newTry();
            nextTry.registered.addListener(r -> {
                if (r.isSuccess()) {
                    connect(nextTry, index + 1);
                } else {
                    failures.add(r.cause());
                    failed(null);
                }
            });
        });
    }

    /** The server's address as the proxy gets it: its name unresolved, for the proxy to resolve, or an IP literal. */
    private InetSocketAddress serverAddressForProxy() {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(request.host());
        if (literal != null) {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(literal), request.port());
            } catch (UnknownHostException e) {
                throw new AssertionError("an address of " + literal.length + " bytes", e);
            }
        }
        return InetSocketAddress.createUnresolved(request.host(), request.port());
    }

    /** TCP is connected: the handshake's outcome (or the proxy's refusal) is the connection's. */
    private void follow(Try attempt, ProxyHandler tunnel) {
        attempt.handshake().whenComplete((result, error) -> {
            if (tunnel != null && !tunnel.connectFuture().isSuccess()) {
                // The proxy refused or dropped the tunnel: whatever the handshake handler saw follows from that.
                tunnel.connectFuture().addListener(t -> outcome.completeExceptionally(t.isSuccess() ? error
                        : ProxyHandlers.refused(proxy, tunnel, request.hostAndPort(),
                                request.config().handshakeTimeout(), t.cause())));
            } else if (error != null) {
                outcome.completeExceptionally(error);
            } else {
                outcome.complete(result);
            }
        });
    }

    /** Fails the connection with {@code cause}, or with the failures of the addresses tried when it is null. */
    private void failed(Throwable cause) {
        Throwable last = cause != null ? cause : failures.get(failures.size() - 1);
        if (proxy != null && !(last instanceof ClosedChannelException)) { // the caller's close is not the proxy's
            WebSocketProxyException e = ProxyHandlers.unreachable(proxy, request.hostAndPort(), last);
            failures.stream().filter(t -> t != last).forEach(e::addSuppressed);
            outcome.completeExceptionally(e);
            return;
        }
        StringBuilder why = new StringBuilder();
        if (cause != null || failures.size() == 1) {
            why.append(describe(last));
        } else {
            for (Throwable t : failures) {
                why.append(why.length() == 0 ? "" : "; ").append(describe(t));
            }
        }
        WebSocketConnectException e = new WebSocketConnectException("cannot connect to " + request.hostAndPort() + ": "
                + why, last);
        failures.stream().filter(t -> t != last).forEach(e::addSuppressed);
        outcome.completeExceptionally(e);
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private Try newTry() {
        CompletableFuture<ClientHandshakeResult> handshake = new CompletableFuture<>();
        ChannelFuture registered = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                setup.accept(ch.pipeline(), handshake);
            }
        }).register();
        return new Try(registered, handshake);
    }

    /** One address's channel and the outcome of its handshake handler. */
    private record Try(ChannelFuture registered, CompletableFuture<ClientHandshakeResult> handshake) {
        Channel channel() {
            return registered.channel();
        }
    }
}
