package dev.wsnetty.netty.deflate;

/**
 * The permessage-deflate parameters both ends agreed on in the opening handshake (RFC 7692 §7.1), as seen from
 * one side: which directions keep their compression context between messages and the window sizes.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message
 * @param serverMaxWindowBits     the LZ77 window of the server's compressor, 8 to 15
 * @param clientMaxWindowBits     the LZ77 window of the client's compressor, 8 to 15
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits) {

    /**
     * The largest window RFC 7692 allows, and the only one {@link java.util.zip.Deflater} can compress with
     * back-references in (under a smaller one this library compresses Huffman-only).
     */
    public static final int MAX_WINDOW_BITS = 15;

    /** The smallest window RFC 7692 allows. */
    public static final int MIN_WINDOW_BITS = 8;

    /**
     * The agreements with full windows, by {@code serverNoContextTakeover + 2 * clientNoContextTakeover}: what nearly
     * every handshake agrees, shared by the connections that agreed it rather than kept by each.
     */
    private static final DeflateParameters[] FULL_WINDOWS = {
            new DeflateParameters(false, false, MAX_WINDOW_BITS, MAX_WINDOW_BITS),
            new DeflateParameters(true, false, MAX_WINDOW_BITS, MAX_WINDOW_BITS),
            new DeflateParameters(false, true, MAX_WINDOW_BITS, MAX_WINDOW_BITS),
            new DeflateParameters(true, true, MAX_WINDOW_BITS, MAX_WINDOW_BITS),
    };

    /** Checks the window sizes. */
    public DeflateParameters {
        checkWindowBits(serverMaxWindowBits, "serverMaxWindowBits");
        checkWindowBits(clientMaxWindowBits, "clientMaxWindowBits");
    }

    /**
     * The parameters with these values: one shared instance for each agreement with full windows (every
     * {@link dev.wsnetty.netty.CompressionMode#LEAN} agreement among them), so that a connection does not keep one
     * of its own; a new one otherwise.
     *
     * @throws IllegalArgumentException if a window is not 8 to 15 bits
     */
    public static DeflateParameters of(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
            int serverMaxWindowBits, int clientMaxWindowBits) {
        if (serverMaxWindowBits == MAX_WINDOW_BITS && clientMaxWindowBits == MAX_WINDOW_BITS) {
            return FULL_WINDOWS[(serverNoContextTakeover ? 1 : 0) + (clientNoContextTakeover ? 2 : 0)];
        }
        return new DeflateParameters(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBits);
    }

    /** No context takeover either way, full windows: what {@link dev.wsnetty.netty.CompressionMode#LEAN} agrees. */
    public static DeflateParameters lean() {
        return of(true, true, MAX_WINDOW_BITS, MAX_WINDOW_BITS);
    }

    /** Context takeover both ways, full windows: RFC 7692's defaults when an offer has no parameters. */
    public static DeflateParameters contextTakeover() {
        return of(false, false, MAX_WINDOW_BITS, MAX_WINDOW_BITS);
    }

    /**
     * These parameters as one {@code Sec-WebSocket-Extensions} element (RFC 7692 §7.1): {@code permessage-deflate},
     * then each {@code no_context_takeover} that holds and each window smaller than 15, e.g.
     * {@code "permessage-deflate; server_no_context_takeover; client_no_context_takeover"}.
     */
    public String extensionHeader() {
        StringBuilder s = new StringBuilder("permessage-deflate");
        if (serverNoContextTakeover) {
            s.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            s.append("; client_no_context_takeover");
        }
        if (serverMaxWindowBits < MAX_WINDOW_BITS) {
            s.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        if (clientMaxWindowBits < MAX_WINDOW_BITS) {
            s.append("; client_max_window_bits=").append(clientMaxWindowBits);
        }
        return s.toString();
    }

    private static void checkWindowBits(int bits, String name) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException(name + " must be 8 to 15, not " + bits);
        }
    }
}
