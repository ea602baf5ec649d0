package dev.wsnetty.netty.deflate;

/**
 * An extension negotiation that cannot be carried out: a permessage-deflate offer or answer that breaks RFC 7692 §7
 * (an unknown or repeated parameter, an invalid value) or an answer the client did not ask for. The message says
 * which parameter and why. The server declines such an offer; the client fails the connection.
 */
public final class ExtensionNegotiationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExtensionNegotiationException(String message) {
        super(message);
    }
}
