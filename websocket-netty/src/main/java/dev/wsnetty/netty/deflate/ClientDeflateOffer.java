package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.CompressionMode;

import java.util.List;
import java.util.Optional;

/**
 * The client's side of the permessage-deflate negotiation (RFC 7692 §5, §7): the offer of one connection and the
 * check of the server's answer.
 *
 * <table>
 *   <caption>The offer, by mode</caption>
 *   <tr><th>mode</th><th>{@code Sec-WebSocket-Extensions}</th></tr>
 *   <tr><td>{@link CompressionMode#OFF}</td><td>none</td></tr>
 *   <tr><td>{@link CompressionMode#LEAN}</td><td>{@value #LEAN_OFFER}: the server's compressor must reset after
 *       each message, so our inflater keeps no context; ours resets anyway, which the second parameter tells the
 *       server</td></tr>
 *   <tr><td>{@link CompressionMode#CONTEXT_TAKEOVER}</td><td>{@value #CONTEXT_TAKEOVER_OFFER}: what browsers
 *       offer</td></tr>
 * </table>
 * Like browsers, both offer {@code client_max_window_bits}, which lets the server limit the client's window
 * (RFC 7692 §7.1.2.2). {@link java.util.zip.Deflater} cannot shrink its window, so under a limit below 15 bits the
 * client compresses Huffman-only, without back-references, which fits any window (see
 * {@link PerMessageDeflateHandler}). Immutable and thread-safe.
 */
public final class ClientDeflateOffer {
    /** What {@link CompressionMode#LEAN} offers. */
    public static final String LEAN_OFFER =
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits";
    /** What {@link CompressionMode#CONTEXT_TAKEOVER} offers. */
    public static final String CONTEXT_TAKEOVER_OFFER = "permessage-deflate; client_max_window_bits";

    private final CompressionMode mode;

    private ClientDeflateOffer(CompressionMode mode) {
        this.mode = mode;
    }

    /** The offer of a client in {@code mode}. */
    public static ClientDeflateOffer of(CompressionMode mode) {
        return new ClientDeflateOffer(mode);
    }

    /** The value of the request's {@code Sec-WebSocket-Extensions} header; empty for {@link CompressionMode#OFF}. */
    public Optional<String> header() {
        return switch (mode) {
            case OFF -> Optional.empty();
            case LEAN -> Optional.of(LEAN_OFFER);
            case CONTEXT_TAKEOVER -> Optional.of(CONTEXT_TAKEOVER_OFFER);
        };
    }

    /**
     * Checks the server's answer (RFC 7692 §7.1): only extensions that were offered, permessage-deflate at most once,
     * only parameters a response may hold, each once and valid, and the {@code server_no_context_takeover} we asked
     * for. A {@code server_max_window_bits} below 15 is fine: the inflater takes any window up to 15 bits; so is a
     * {@code client_max_window_bits} from 8 to 15 (the client then compresses Huffman-only under a limit below 15).
     *
     * @param responseHeaders the values of every {@code Sec-WebSocket-Extensions} header of the 101, in order
     * @return the agreed parameters, or empty when the server declined (or nothing was offered)
     * @throws ExtensionNegotiationException when the answer is not one the client can accept; the message says why,
     *         and the connection must fail
     */
    public Optional<DeflateParameters> accept(List<String> responseHeaders) {
        List<Extension> answers;
        try {
            answers = ExtensionsHeader.parse(responseHeaders);
        } catch (MalformedExtensionsException e) {
            throw new ExtensionNegotiationException("server's " + e.getMessage());
        }
        DeflateParameters agreed = null;
        for (Extension answer : answers) {
            if (mode == CompressionMode.OFF || !DeflateElement.isDeflate(answer)) {
                throw new ExtensionNegotiationException("server selected extension '" + answer.name()
                        + "', which was not offered" + header().map(offer -> " (offered: " + offer + ")").orElse(""));
            }
            if (agreed != null) {
                throw new ExtensionNegotiationException("server accepted " + DeflateElement.NAME
                        + " more than once; it was offered once");
            }
            agreed = agreement(DeflateElement.read(answer, false));
        }
        return Optional.ofNullable(agreed);
    }

    private DeflateParameters agreement(DeflateElement answer) {
        boolean lean = mode == CompressionMode.LEAN;
        if (lean && !answer.serverNoContextTakeover) {
            throw new ExtensionNegotiationException(DeflateElement.NAME + ": server did not answer "
                    + DeflateElement.SERVER_NO_CONTEXT_TAKEOVER + ", which the client offered (RFC 7692 §7.1.1.1)");
        }
        int serverWindow = answer.serverMaxWindowBits != null ? answer.serverMaxWindowBits
                : DeflateParameters.MAX_WINDOW_BITS;
        // In LEAN mode our offer said the client resets its compressor after each message: that holds either way.
        // §7.1.2.2: the response's value limits the client's window; the element check required a value 8 to 15.
        int clientWindow = answer.clientMaxWindowBits != null ? answer.clientMaxWindowBits
                : DeflateParameters.MAX_WINDOW_BITS;
        return DeflateParameters.of(answer.serverNoContextTakeover, lean || answer.clientNoContextTakeover,
                serverWindow, clientWindow);
    }
}
