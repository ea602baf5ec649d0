package dev.wsnetty;

import dev.wsnetty.spi.InboundQueueLimits;
import dev.wsnetty.spi.ManualExecutor;
import dev.wsnetty.spi.QueuedCommunicator;
import dev.wsnetty.spi.RecordingTransport;
import dev.wsnetty.spi.RecordingTransport.Close;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketHandlerTest {
    @RegisterExtension
    final RecordingTransport transport = new RecordingTransport();
    private final QueuedCommunicator comm =
            new QueuedCommunicator(transport, InboundQueueLimits.DEFAULT, new ManualExecutor());

    @Test
    void lifecycleRunsPrepareDoFinalizeInTheCallingThreadAndClosesWith1000() {
        List<String> steps = new ArrayList<>();
        Thread caller = Thread.currentThread();
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            protected void prepareCommunication(Communicator c) {
                super.prepareCommunication(c);
                steps.add("prepare");
            }

            @Override
            protected void doHandleCommunication(Communicator c) {
                steps.add("do in caller=" + (Thread.currentThread() == caller) + " listed="
                        + connections().contains(c));
                c.writeStringMessage("Bye bye");
            }

            @Override
            protected void finalizeCommunication(Communicator c) {
                steps.add("finalize");
                super.finalizeCommunication(c);
            }
        };

        handler.handleCommunication(comm);

        assertEquals(List.of("prepare", "do in caller=true listed=true", "finalize"), steps);
        assertTrue(handler.connections().isEmpty());
        transport.frames().assertNext(RecordingTransport.frame(0x1, true, "Bye bye"));
        transport.closes().assertNext(new Close(1000, ""));
    }

    @Test
    void finalizeDoesNotCloseAgainAConnectionAlreadyClosing() {
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator c) {
                c.close(4000, "custom");
            }
        };
        handler.handleCommunication(comm);
        transport.closes().assertNext(new Close(4000, "custom"));
    }

    @Test
    void aFailureInDoHandleClosesWith1011AndIsRethrownAfterFinalize() {
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator c) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
        };
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> handler.handleCommunication(comm));
        assertEquals("handler bug (expected by the test)", e.getMessage());
        transport.closes().assertNext(new Close(1011, "Internal error"));
        assertTrue(handler.connections().isEmpty());
    }

    @Test
    void connectionsIsALiveUnmodifiableViewAndCloseSends1001ToEach() {
        WebSocketHandler handler = new WebSocketHandler();
        RecordingTransport otherTransport = new RecordingTransport();
        QueuedCommunicator other = new QueuedCommunicator(otherTransport);

        handler.prepareCommunication(comm);
        handler.prepareCommunication(other);
        assertEquals(2, handler.connections().size());
        assertThrows(UnsupportedOperationException.class, () -> handler.connections().add(comm));
        assertThrows(UnsupportedOperationException.class, () -> handler.connections().clear());

        handler.close();
        transport.closes().assertNext(new Close(1001, "Server shutting down"));
        otherTransport.closes().assertNext(new Close(1001, "Server shutting down"));

        handler.finalizeCommunication(comm);
        assertEquals(1, handler.connections().size());
        assertSame(other, handler.connections().iterator().next());
        transport.closes().assertExhausted(); // finalize sends no second close
        otherTransport.assertExhausted();
    }

    @Test
    void acceptsEveryRequestByDefault() {
        RequestData request = new RequestData("GET", "/ws?x=1", null, "dGhlIHNhbXBsZSBub25jZQ==",
                HeaderFields.EMPTY, new InetSocketAddress("127.0.0.1", 50000));
        ResponseHeaders headers = new ResponseHeaders();
        assertTrue(new WebSocketHandler().accept(request, headers));
        assertEquals(0, headers.size());
    }
}
