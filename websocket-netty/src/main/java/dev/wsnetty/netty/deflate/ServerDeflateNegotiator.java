package dev.wsnetty.netty.deflate;

import dev.wsnetty.internal.Log;
import dev.wsnetty.netty.CompressionMode;

import java.util.List;
import java.util.Optional;

/**
 * The server's side of the permessage-deflate negotiation (RFC 7692 §5, §7): picks the first offer in the client's
 * {@code Sec-WebSocket-Extensions} it can honour and writes the answer for the 101. Offers of other extensions are
 * passed over (none is supported).
 *
 * <p>An offer is declined, and the next one considered, when it breaks RFC 7692 §7 (an unknown or repeated parameter,
 * an invalid value). A header that does not follow the grammar of RFC 6455 §9.1 declines every offer: the connection
 * opens without compression, which every client must accept.
 *
 * <p>An offer of {@code server_max_window_bits} below 15 is accepted and answered with the same value, although
 * {@link java.util.zip.Deflater} always compresses with a 32 KiB window: the server then Huffman-codes its messages
 * without back-references ({@link java.util.zip.Deflater#HUFFMAN_ONLY}), which fits any window (see
 * {@link PerMessageDeflateHandler}).
 *
 * <table>
 *   <caption>The answer to an acceptable offer, by mode</caption>
 *   <tr><th>mode</th><th>answer</th></tr>
 *   <tr><td>{@link CompressionMode#OFF}</td><td>none: every offer is declined</td></tr>
 *   <tr><td>{@link CompressionMode#LEAN}</td><td>{@code server_no_context_takeover; client_no_context_takeover}
 *       whatever the offer holds (RFC 7692 §7.1.1 lets the server add both)</td></tr>
 *   <tr><td>{@link CompressionMode#CONTEXT_TAKEOVER}</td><td>each {@code no_context_takeover} the offer holds
 *       (the client's {@code client_no_context_takeover} hint is taken: it spares our inflater its context)</td></tr>
 * </table>
 * In both modes an offered {@code server_max_window_bits} is answered with the same value, and an offered
 * {@code client_max_window_bits} is not answered: {@link java.util.zip.Inflater} inflates any window up to 15, so the
 * client's window is not restricted.
 */
public final class ServerDeflateNegotiator {
    private static final Log LOG = Log.of(ServerDeflateNegotiator.class);

    private ServerDeflateNegotiator() {
    }

    /**
     * The server's agreement to one permessage-deflate offer.
     *
     * @param parameters     what both ends use from now on
     * @param responseHeader the value of the 101's {@code Sec-WebSocket-Extensions} header
     */
    public record Accepted(DeflateParameters parameters, String responseHeader) {
    }

    /**
     * The answer to a handshake's offers.
     *
     * @param offerHeaders the values of every {@code Sec-WebSocket-Extensions} header of the request, in order
     * @param mode         the server's compression mode
     * @return the agreement, or empty when no offer is accepted (and the 101 names no extension)
     */
    public static Optional<Accepted> negotiate(List<String> offerHeaders, CompressionMode mode) {
        if (mode == CompressionMode.OFF || offerHeaders.isEmpty()) {
            return Optional.empty();
        }
        List<Extension> offers;
        try {
            offers = ExtensionsHeader.parse(offerHeaders);
        } catch (MalformedExtensionsException e) {
            LOG.log(Log.Level.DEBUG, () -> "Declining every extension: " + e.getMessage());
            return Optional.empty();
        }
        for (Extension offer : offers) {
            if (DeflateElement.isDeflate(offer)) {
                try {
                    return Optional.of(accept(DeflateElement.read(offer, true), mode));
                } catch (ExtensionNegotiationException declined) {
                    LOG.log(Log.Level.DEBUG, () -> "Declining the offer " + offer + ": "
                            + declined.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    private static Accepted accept(DeflateElement offer, CompressionMode mode) {
        Integer serverWindow = offer.serverMaxWindowBits;
        boolean lean = mode == CompressionMode.LEAN;
        boolean serverNoContextTakeover = lean || offer.serverNoContextTakeover;
        boolean clientNoContextTakeover = lean || offer.clientNoContextTakeover;
        StringBuilder header = new StringBuilder(DeflateElement.NAME);
        if (serverNoContextTakeover) {
            header.append("; ").append(DeflateElement.SERVER_NO_CONTEXT_TAKEOVER);
        }
        if (clientNoContextTakeover) {
            header.append("; ").append(DeflateElement.CLIENT_NO_CONTEXT_TAKEOVER);
        }
        if (serverWindow != null) {
            // §7.1.2.1: accepting an offer with this parameter means answering it, with a value no greater.
            header.append("; ").append(DeflateElement.SERVER_MAX_WINDOW_BITS).append('=').append(serverWindow);
        }
        // §7.1.2.2: a value in the offer is the client's own limit; without one the client uses up to 15 bits.
        int clientWindow = offer.clientMaxWindowBits != null ? offer.clientMaxWindowBits
                : DeflateParameters.MAX_WINDOW_BITS;
        DeflateParameters agreed = DeflateParameters.of(serverNoContextTakeover, clientNoContextTakeover,
                serverWindow != null ? serverWindow : DeflateParameters.MAX_WINDOW_BITS, clientWindow);
        return new Accepted(agreed, header.toString());
    }
}
