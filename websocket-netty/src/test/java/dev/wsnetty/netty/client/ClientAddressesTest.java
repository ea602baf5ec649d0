package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the client connects: IPv6 literals, and host names with several addresses, of which the first refuses and a
 * later one listens (a dual-stack host whose IPv4 side is down). This machine's /etc/hosts gives "localhost" only
 * 127.0.0.1, so the names' addresses come from a resolver the test hands the client.
 */
class ClientAddressesTest {
    private static final Duration WAIT = Await.DEADLINE;

    @Test
    void anIpv6LiteralIsConnectedToAndSentInBrackets() throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.builder(TestServer.everywhere(echo).build()).address("::1").start()) {
            Communicator communicator = WebSocketClient.of("ws://[::1]:" + server.port() + "/six").connectOrThrow();
            try {
                EchoEndpoint.Connection connection = echo.nextConnection();
                assertEquals("[::1]:" + server.port(), connection.request().host());
                assertEquals("/six", connection.request().path());
                assertEquals(InetAddress.getByName("::1"),
                        ((InetSocketAddress) communicator.unwrap(Channel.class).remoteAddress()).getAddress());
                communicator.writeStringMessage("v6");
                assertEquals("v6", communicator.waitForStringMessage(WAIT).data());
            } finally {
                communicator.close();
                assertNotNull(communicator.awaitClose(WAIT));
            }
        }
    }

    @Test
    void theNextAddressIsTriedWhenTheFirstRefuses() throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.builder(TestServer.everywhere(echo).build()).address("::1").start()) {
            assertRefused("127.0.0.1", server.port()); // the IPv4 side of the port is closed
            WebSocketClient client = new WebSocketClient("dual.test", server.port(), "/");
            client.setAddressResolver(new FixedAddresses(Map.of("dual.test",
                    List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")))));
            Communicator communicator = client.connectOrThrow();
            try {
                assertEquals("dual.test:" + server.port(), echo.nextConnection().request().host());
                communicator.writeStringMessage("second address");
                assertEquals("second address", communicator.waitForStringMessage(WAIT).data());
            } finally {
                communicator.close();
                assertNotNull(communicator.awaitClose(WAIT));
            }
        }
    }

    @Test
    void whenEveryAddressRefusesTheErrorSaysWhatEachDid() throws Exception {
        int port = closedPort();
        assertRefused("::1", port);
        WebSocketClient client = new WebSocketClient("dual.test", port);
        client.setAddressResolver(new FixedAddresses(Map.of("dual.test",
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")))));
        WebSocketConnectException e = assertThrows(WebSocketConnectException.class, client::connect);
        assertTrue(e.getMessage().startsWith("cannot connect to dual.test:" + port + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("/127.0.0.1:" + port) && e.getMessage().contains(":" + port + "; "),
                e.getMessage());
        assertTrue(e.getMessage().contains("/[0:0:0:0:0:0:0:1]:" + port), e.getMessage());
        assertEquals(1, e.getSuppressed().length);

        client.setHost("unknown.test");
        e = assertThrows(WebSocketConnectException.class, client::connect);
        assertEquals("cannot connect to unknown.test:" + port + ": no addresses for unknown.test", e.getMessage());
    }

    @Test
    void abandoningStopsTheAttempts() throws Exception {
        int port = closedPort();
        ClientConnection connection = Connectors.plain().withAddressResolver(new FixedAddresses(Map.of("dual.test",
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))))).connect(
                ClientHandshakeRequest.builder("dual.test").port(port).build());
        connection.close();
        Connectors.handshakeError(connection, WebSocketConnectException.class);
        Connectors.assertClosed(connection.channel());
    }

    private static void assertRefused(String address, int port) {
        assertThrows(IOException.class, () -> {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress(address, port), (int) WAIT.toMillis());
            }
        }, "something listens on " + address + " port " + port);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** A resolver with fixed answers, in the order given; any other name is unknown. */
    private static final class FixedAddresses extends AddressResolverGroup<InetSocketAddress> {
        private final Map<String, List<InetAddress>> names;

        FixedAddresses(Map<String, List<InetAddress>> names) {
            this.names = names;
        }

        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new InetNameResolver(executor) {
                @Override
                protected void doResolve(String host, Promise<InetAddress> promise) {
                    List<InetAddress> all = names.get(host);
                    if (all == null) {
                        promise.setFailure(new UnknownHostException("no addresses for " + host));
                    } else {
                        promise.setSuccess(all.get(0));
                    }
                }

                @Override
                protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                    List<InetAddress> all = names.get(host);
                    if (all == null) {
                        promise.setFailure(new UnknownHostException("no addresses for " + host));
                    } else {
                        promise.setSuccess(all);
                    }
                }
            }.asAddressResolver();
        }
    }
}
