package dev.wsnetty.netty.internal;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.Await;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IoTypeTest {
    private static final IoType DEFAULT = Epoll.isAvailable() ? IoType.EPOLL : IoType.NIO;

    @Test
    void withoutAChoiceItIsEpollWhereItLoadsElseNio() {
        assertEquals(DEFAULT, IoType.chosen(null));
        assertEquals(DEFAULT, IoType.chosen("auto"));
    }

    @Test
    void nioCanBeChosen() {
        assertEquals(IoType.NIO, IoType.chosen("NIO"));
    }

    @Test
    void anUnknownNameFallsBackToTheDefault() {
        assertEquals(DEFAULT, IoType.chosen("kqueue"));
    }

    @Test
    void ioUringIsChosenWhereUsableAndFallsBackElsewhere() {
        assertEquals(IoType.IO_URING.isUsable() ? IoType.IO_URING : DEFAULT, IoType.chosen("io_uring"));
    }

    @Test
    void anIoUringGroupIsRecognised() throws Exception {
        assumeTrue(IoType.IO_URING.isUsable(), "io_uring cannot be used here");
        EventLoopGroup group = IoType.IO_URING.newGroup(1, "test-io-uring");
        try {
            assertEquals(IoType.IO_URING, IoType.of(group));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerOnIoUringUpgradesEchoesAndClosesCleanly() throws Exception {
        assumeTrue(IoType.IO_URING.isUsable(), "io_uring cannot be used here");
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.builder(TestServer.everywhere(echo).build())
                .io(IoType.IO_URING, 1).start()) {
            Communicator client = new WebSocketClient("127.0.0.1", server.port(), "/uring").connect();
            client.writeStringMessage("over io_uring");
            StringMessage answer = client.waitForStringMessage(Await.DEADLINE);
            assertNotNull(answer, "no echo in time");
            assertEquals("over io_uring", answer.data());
            client.close(1000, "done");
            CloseStatus status = client.awaitClose(Await.DEADLINE);
            assertNotNull(status, "no close in time");
            assertEquals(1000, status.code());
        }
    }
}
