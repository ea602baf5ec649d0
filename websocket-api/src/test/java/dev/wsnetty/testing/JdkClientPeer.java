package dev.wsnetty.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@link java.net.http.WebSocket} client connected to a server, as an independent peer for tests. Its
 * listener joins the parts of each message and records whole messages and pongs in {@link EventRecorder}s, and the
 * Close it received (or the error that ended the connection without one). Closing the peer aborts the connection
 * and fails the test when a message or pong was received and not taken.
 */
public final class JdkClientPeer implements AutoCloseable {
    /** A whole message: text (as a string) or binary (as bytes). */
    public record Message(String text, byte[] binary) {
    }

    /** The Close frame received: status code and reason. */
    public record Close(int code, String reason) {
    }

    private final EventRecorder<Message> messages = new EventRecorder<>("message");
    private final EventRecorder<byte[]> pongs = new EventRecorder<>("pong");
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket webSocket;

    private JdkClientPeer(HttpClient client, URI uri) throws Exception {
        webSocket = client.newWebSocketBuilder().buildAsync(uri, new Recorder())
                .get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Connects and completes the opening handshake. */
    public static JdkClientPeer connect(HttpClient client, URI uri) throws Exception {
        return new JdkClientPeer(client, uri);
    }

    /** The JDK's WebSocket, to send with. */
    public WebSocket webSocket() {
        return webSocket;
    }

    /** Waits for a send to complete. */
    public static void await(CompletableFuture<WebSocket> send) throws Exception {
        send.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next whole message received. */
    public Message nextMessage() {
        return messages.next();
    }

    /** The payload of the next pong received. */
    public byte[] nextPong() {
        return pongs.next();
    }

    /** The Close frame the server sent. */
    public Close awaitClose() throws Exception {
        return closed.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fails the test when a message or pong was received and not taken. */
    public void assertExhausted() {
        messages.assertExhausted();
        pongs.assertExhausted();
    }

    /** Aborts the connection, then fails the test when a message or pong was received and not taken. */
    @Override
    public void close() {
        webSocket.abort();
        assertExhausted();
    }

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.record(new Message(text.toString(), null));
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
                messages.record(new Message(null, binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            pongs.record(bytes);
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
