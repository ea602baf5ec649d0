package dev.wsnetty.netty.deflate;

/** A {@code Sec-WebSocket-Extensions} header that does not follow the grammar of RFC 6455 §9.1; says where. */
final class MalformedExtensionsException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedExtensionsException(String message) {
        super(message, null, false, false);
    }
}
