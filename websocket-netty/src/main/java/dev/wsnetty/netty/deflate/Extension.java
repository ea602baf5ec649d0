package dev.wsnetty.netty.deflate;

import java.util.List;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension's name and its parameters,
 * in the order written. In a request it is an offer, in a 101 an accepted offer.
 *
 * @param name       the extension token, e.g. {@code permessage-deflate}
 * @param parameters the parameters in order, duplicates kept (whether they are allowed is the extension's rule)
 */
record Extension(String name, List<Parameter> parameters) {

    /**
     * One {@code extension-param}.
     *
     * @param name  the parameter token
     * @param value the value, unescaped if it was a quoted string; null when the parameter has none
     */
    record Parameter(String name, String value) {
    }
}
