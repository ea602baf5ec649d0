package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which threads {@link WebSocketClient} connections run on: the shared daemon group, or the application's own. */
class WebSocketClientEventLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(new EchoEndpoint());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void allClientsShareOneGroupOfDaemonThreadsWithoutAThreadPerConnection() throws Exception {
        List<Communicator> communicators = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                communicators.add(new WebSocketClient("127.0.0.1", server.port()).connectOrThrow());
            }
            Set<EventLoopGroup> groups = new HashSet<>();
            Set<Thread> threads = new HashSet<>();
            for (Communicator c : communicators) {
                Channel channel = c.unwrap(Channel.class);
                groups.add(channel.eventLoop().parent());
                threads.add(channel.eventLoop().submit(Thread::currentThread).get(WAIT.toSeconds(), TimeUnit.SECONDS));
                if (Epoll.isAvailable()) {
                    assertInstanceOf(EpollSocketChannel.class, channel);
                }
            }
            assertEquals(1, groups.size(), "clients must share one event loop group");
            assertTrue(threads.size() <= Runtime.getRuntime().availableProcessors(), threads.toString());
            for (Thread t : threads) {
                assertTrue(t.isDaemon(), t + " would keep the JVM alive");
                assertTrue(t.getName().startsWith("wsnetty-client-"), t.getName());
            }
            // The connections work, whichever loop they landed on.
            for (Communicator c : communicators) {
                c.writeStringMessage("echo");
            }
            for (Communicator c : communicators) {
                assertEquals("echo", c.waitForStringMessage(WAIT).data());
            }
        } finally {
            closeAll(communicators);
        }
    }

    @Test
    void ownGroupIsUsedAndLeftRunning() throws Exception {
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setEventLoopGroup(own);
            Communicator c = client.connectOrThrow();
            Channel channel = c.unwrap(Channel.class);
            assertSame(own, channel.eventLoop().parent());
            assertInstanceOf(NioSocketChannel.class, channel);
            c.writeStringMessage("on my loop");
            assertEquals("on my loop", c.waitForStringMessage(WAIT).data());
            closeAll(List.of(c));
            assertFalse(own.isShuttingDown());
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void sharedGroupShutsDownAndIsCreatedAgainOnTheNextConnection() throws Exception {
        Communicator before = new WebSocketClient("127.0.0.1", server.port()).connectOrThrow();
        EventLoopGroup first = before.unwrap(Channel.class).eventLoop().parent();
        closeAll(List.of(before));

        assertTrue(WebSocketClient.shutdownSharedEventLoopGroup(WAIT));
        assertTrue(first.isTerminated());
        assertTrue(WebSocketClient.shutdownSharedEventLoopGroup(WAIT), "a second shutdown has nothing to do");

        Communicator after = new WebSocketClient("127.0.0.1", server.port()).connectOrThrow();
        try {
            assertNotSame(first, after.unwrap(Channel.class).eventLoop().parent());
            after.writeStringMessage("new group");
            assertEquals("new group", after.waitForStringMessage(WAIT).data());
        } finally {
            closeAll(List.of(after));
        }
    }

    private static void closeAll(List<Communicator> communicators) {
        for (Communicator c : communicators) {
            c.close();
        }
        for (Communicator c : communicators) {
            assertNotNull(c.awaitClose(WAIT), "connection did not close");
        }
    }
}
