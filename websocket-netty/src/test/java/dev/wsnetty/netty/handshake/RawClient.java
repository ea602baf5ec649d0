package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.testing.HttpHeads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain blocking socket: raw request bytes in, raw response bytes out, every read with a deadline. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) (TestServer.TIMEOUT_SECONDS * 1000));
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends the text as ISO-8859-1 bytes, in one write. */
    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends the bytes in one write. */
    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads up to and including the blank line that ends a response head. */
    String readHead() throws IOException {
        return HttpHeads.read(in);
    }

    /** Reads exactly {@code n} bytes as ISO-8859-1 text. */
    String readText(int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    /** Reads everything until the server ends the stream; fails if it does not within the deadline. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
