package dev.wsnetty.netty.interop;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The JDK's {@link java.net.http.WebSocket} client connected to a server. Its listener joins the parts
 * of each message and records whole messages, pongs and the Close it received (or the error
 * that ended the connection without one).
 */
final class JdkClientPeer implements AutoCloseable {
    /** A whole message: text (as a string) or binary (as bytes). */
    record Message(String text, byte[] binary) {
    }

    /** The Close frame received: status code and reason. */
    record Close(int code, String reason) {
    }

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket webSocket;

    private JdkClientPeer(HttpClient client, URI uri) throws Exception {
        webSocket = client.newWebSocketBuilder().buildAsync(uri, new Recorder())
                .get(EchoServer.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Connects and completes the opening handshake. */
    static JdkClientPeer connect(HttpClient client, URI uri) throws Exception {
        return new JdkClientPeer(client, uri);
    }

    /** The JDK's WebSocket, to send with. */
    WebSocket webSocket() {
        return webSocket;
    }

    /** Waits for a send to complete. */
    static void await(CompletableFuture<WebSocket> send) throws Exception {
        send.get(EchoServer.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The next whole message received. */
    Message nextMessage() throws InterruptedException {
        Message m = messages.poll(EchoServer.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(m, "no message received within " + EchoServer.WAIT_SECONDS + " s");
        return m;
    }

    /** The payload of the next pong received. */
    byte[] nextPong() throws InterruptedException {
        byte[] p = pongs.poll(EchoServer.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(p, "no pong received within " + EchoServer.WAIT_SECONDS + " s");
        return p;
    }

    /** The Close frame the server sent. */
    Close awaitClose() throws Exception {
        return closed.get(EchoServer.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Messages received and not yet taken. */
    int pendingMessages() {
        return messages.size();
    }

    @Override
    public void close() {
        webSocket.abort();
    }

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(new Message(text.toString(), null));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(new Message(null, binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            pongs.add(bytes);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null; // the JDK then answers with a Close of its own
        }

        @Override
        public void onError(WebSocket ws, Throwable cause) {
            closed.completeExceptionally(cause);
        }
    }
}
