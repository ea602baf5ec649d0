package dev.wsnetty.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading an HTTP request or response head byte by byte off a raw socket, for the tests' hand-made peers. */
public final class HttpHeads {
    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    private HttpHeads() {
    }

    /**
     * Reads up to and including the blank line that ends a head, and nothing after it, as ISO-8859-1 text.
     *
     * @throws EOFException if the stream ends first; the message holds what had arrived
     */
    public static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < END.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the stream ended before the end of the HTTP head, after: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == END[matched] ? matched + 1 : b == END[0] ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
