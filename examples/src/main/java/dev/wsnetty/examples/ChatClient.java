package dev.wsnetty.examples;

import dev.wsnetty.Communicator;
import dev.wsnetty.PongMessage;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketException;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.WebSocketClient;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The chat client (the original's {@code chatClient}): connects to a WebSocket server and sends every typed line
 * as a text message; {@code ping <text>} sends a ping carrying what follows the fifth character (the original's
 * {@code Substring(5)}: {@code ping hello} pings {@code hello}, {@code pinguin} pings {@code in}); {@code exit}
 * closes. Prints {@code Message from ADDR: text}, {@code Pong from ADDR: payload} and
 * {@code Connection to ADDR closed}, as the original.
 *
 * <p>Fixed against the original: {@code exit} (or the end of the input) closes with 1000 and waits for the
 * server's answer at most the close timeout, then drops the connection, so it never hangs; when the server
 * closes first the client ends at once (the original waited for one more typed line); a refused or failed
 * connection is reported instead of crashing; a ping payload over 125 bytes is refused with a message.
 */
public final class ChatClient implements ConsoleExample {
    /** How long {@code exit} waits for the server's Close frame by default. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** What the console and the connection tell the main loop, besides typed lines. */
    private enum Signal { INPUT_ENDED, CONNECTION_CLOSED, STOP }

    private final ExampleOptions options;
    private final Console console;
    private final Duration closeTimeout;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final CountDownLatch closePrinted = new CountDownLatch(1);
    private volatile Communicator connection;

    /**
     * A client connecting to {@link ExampleOptions#url()}, talking through {@code console}.
     *
     * @param options where to connect
     * @param console where typed lines come from and the transcript goes
     */
    public ChatClient(ExampleOptions options, Console console) {
        this(options, console, DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * A client whose {@code exit} waits at most {@code closeTimeout} for the server's Close frame.
     *
     * @param options      where to connect
     * @param console      where typed lines come from and the transcript goes
     * @param closeTimeout how long to wait for the server to answer a close before dropping the connection
     */
    ChatClient(ExampleOptions options, Console console, Duration closeTimeout) {
        this.options = options;
        this.console = console;
        this.closeTimeout = closeTimeout;
    }

    /** Connects, then sends typed lines until {@code exit}, the end of the input, the server's close or {@link #stop()}. */
    @Override
    public int run() {
        URI url = options.url();
        Communicator communicator;
        try {
            communicator = connect(url);
        } catch (IOException | WebSocketException e) {
            console.err().println("Cannot connect to " + url + ": " + e.getMessage());
            return 1;
        }
        if (communicator == null) {
            return 1; // the failure listener told why
        }
        connection = communicator;
        String address = Addresses.host(communicator.remoteAddress());
        communicator.setOnReceiveMessage(c -> printMessages(c, address));
        communicator.setOnClose((c, status) -> reportClosed(address));
        if (communicator.closeStatus() != null) {
            reportClosed(address); // it closed before the listener was set, which is then never called
        }
        communicator.startReceiveMessageThread();
        ConsoleReader.start("chat-client-console", console, ConsoleReader.each(events::add),
                () -> events.add(Signal.INPUT_ENDED));
        try {
            talk(communicator);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeGracefully(communicator);
        }
        return 0;
    }

    /** Closes the connection as {@code exit} does and makes {@link #run()} return. */
    @Override
    public void stop() {
        Communicator communicator = connection;
        if (communicator != null) {
            closeGracefully(communicator);
        }
        events.add(Signal.STOP);
    }

    private Communicator connect(URI url) throws IOException {
        WebSocketClient client = new WebSocketClient(url);
        client.setConfig(WebSocketConfig.DEFAULT.toBuilder().closeTimeout(closeTimeout).build());
        client.setOnHandshakeFailure((c, response) -> console.err().println("The server at " + url
                + " refused the connection: " + response.statusCode() + ' ' + response.reasonPhrase()
                + (response.body().isBlank() ? "" : " (" + response.body().strip() + ')')));
        SslContext trust = ExampleTls.clientContext(options);
        return trust == null ? client.connect() : client.connect(trust);
    }

    /** The main loop: obeys typed lines until the connection ends. */
    private void talk(Communicator communicator) throws InterruptedException {
        for (;;) {
            Object event = events.take();
            if (event == Signal.CONNECTION_CLOSED) {
                return;
            }
            if (event == Signal.INPUT_ENDED || event == Signal.STOP || "exit".equals(event)) {
                closeGracefully(communicator);
                return;
            }
            send(communicator, (String) event);
        }
    }

    private void send(Communicator communicator, String line) {
        try {
            if (line.startsWith("ping")) {
                byte[] payload = (line.length() > 5 ? line.substring(5) : "").getBytes(StandardCharsets.UTF_8);
                if (payload.length > WebSocketProtocol.MAX_CONTROL_PAYLOAD) {
                    console.err().println("Ping not sent: its payload is " + payload.length + " bytes, a ping carries at most "
                            + WebSocketProtocol.MAX_CONTROL_PAYLOAD);
                    return;
                }
                communicator.ping(payload);
            } else {
                communicator.writeStringMessage(line);
            }
        } catch (WebSocketException e) {
            console.err().println("Not sent: " + e.getMessage());
        }
    }

    /**
     * Closes with 1000 and waits for the server's answer at most the close timeout; then drops the connection if
     * it is still there, and waits (as long again at most) for the close to be printed.
     */
    private void closeGracefully(Communicator communicator) {
        try {
            communicator.close();
            if (communicator.awaitClose(closeTimeout) == null) {
                console.err().println("The server did not answer the close within " + closeTimeout.toMillis()
                        + " ms; dropping the connection");
                communicator.unwrap(Channel.class).close();
                communicator.awaitClose(closeTimeout);
            }
            if (!closePrinted.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                console.err().println("The connection did not report its close within " + closeTimeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void printMessages(Communicator communicator, String address) {
        List<WebSocketMessage> messages = new ArrayList<>();
        communicator.getUnprocessedMessages(messages);
        for (WebSocketMessage message : messages) {
            if (message instanceof StringMessage) {
                console.println("Message from " + address + ": " + ((StringMessage) message).data());
            } else if (message instanceof PongMessage) {
                console.println("Pong from " + address + ": " + ((PongMessage) message).asString());
            }
        }
    }

    /** Prints the close once, however it is noticed, and wakes the main loop. */
    private void reportClosed(String address) {
        if (closeReported.compareAndSet(false, true)) {
            console.println("Connection to " + address + " closed");
            closePrinted.countDown();
            events.add(Signal.CONNECTION_CLOSED);
        }
    }
}
