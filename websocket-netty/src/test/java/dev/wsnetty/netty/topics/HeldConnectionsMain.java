package dev.wsnetty.netty.topics;

import dev.wsnetty.netty.testing.HttpHeads;
import dev.wsnetty.netty.testing.UpgradeRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link SubscriptionMemoryMeasurement}, run in a child JVM so that its sockets do not count
 * against the measuring JVM's open-file limit: opens many WebSocket connections on plain blocking sockets (the
 * opening handshake, then nothing: no thread, no reading), prints {@code HELD n}, and holds them until its standard
 * input ends. Arguments: the server's port, the number of connections.
 */
public final class HeldConnectionsMain {
    private HeldConnectionsMain() {
    }

    /**
     * Opens and holds the connections.
     *
     * @param args port and number of connections
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        byte[] request = UpgradeRequest.to("/").header("Host", "127.0.0.1:" + port).toString()
                .getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> held = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            String head = HttpHeads.read(socket.getInputStream());
            if (!head.startsWith("HTTP/1.1 101 ")) {
                System.out.println("FAILED connection " + i + ": " + head);
                return;
            }
            held.add(socket);
        }
        System.out.println("HELD " + held.size());
        System.out.flush();
        InputStream commands = System.in;
        while (commands.read() >= 0) {
            // Holds the connections until the parent ends our input.
        }
        for (Socket socket : held) {
            socket.close();
        }
    }
}
