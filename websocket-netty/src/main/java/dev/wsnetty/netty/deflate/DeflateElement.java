package dev.wsnetty.netty.deflate;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parameters of one {@code permessage-deflate} element (RFC 7692 §7.1), checked: only the four the RFC
 * defines, each at most once, the two {@code no_context_takeover} flags without a value and window sizes 8 to 15
 * without leading zeros. Offers and responses differ in one rule: {@code client_max_window_bits} may come without a
 * value only in an offer (§7.1.2.2).
 */
final class DeflateElement {
    static final String NAME = "permessage-deflate";
    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    final boolean serverNoContextTakeover;
    final boolean clientNoContextTakeover;
    /** The value of {@code server_max_window_bits}; null when absent. */
    final Integer serverMaxWindowBits;
    /** Whether {@code client_max_window_bits} is present, with or without a value. */
    final boolean clientMaxWindowBitsPresent;
    /** The value of {@code client_max_window_bits}; null when absent or without a value. */
    final Integer clientMaxWindowBits;

    private DeflateElement(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                           Integer serverMaxWindowBits, boolean clientMaxWindowBitsPresent,
                           Integer clientMaxWindowBits) {
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
        this.serverMaxWindowBits = serverMaxWindowBits;
        this.clientMaxWindowBitsPresent = clientMaxWindowBitsPresent;
        this.clientMaxWindowBits = clientMaxWindowBits;
    }

    /** Whether {@code extension} is permessage-deflate (names compared ignoring ASCII case, like HTTP tokens). */
    static boolean isDeflate(Extension extension) {
        return extension.name().equalsIgnoreCase(NAME);
    }

    /**
     * Checks the parameters of a permessage-deflate element.
     *
     * @param offer true for a client's offer, false for a server's response
     * @throws ExtensionNegotiationException naming the first parameter that breaks a rule
     */
    static DeflateElement read(Extension element, boolean offer) {
        boolean serverNoContextTakeover = false;
        boolean clientNoContextTakeover = false;
        Integer serverMaxWindowBits = null;
        boolean clientMaxWindowBitsPresent = false;
        Integer clientMaxWindowBits = null;
        Set<String> seen = new HashSet<>(4);
        for (Extension.Parameter parameter : element.parameters()) {
            String name = parameter.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw invalid("parameter " + name + " appears more than once");
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> serverNoContextTakeover = flag(parameter, name);
                case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoContextTakeover = flag(parameter, name);
                case SERVER_MAX_WINDOW_BITS -> serverMaxWindowBits = windowBits(parameter, name);
                case CLIENT_MAX_WINDOW_BITS -> {
                    clientMaxWindowBitsPresent = true;
                    if (parameter.value() != null || !offer) {
                        clientMaxWindowBits = windowBits(parameter, name);
                    }
                }
                default -> throw invalid("unknown parameter " + parameter.name());
            }
        }
        return new DeflateElement(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBitsPresent, clientMaxWindowBits);
    }

    private static boolean flag(Extension.Parameter parameter, String name) {
        if (parameter.value() != null) {
            throw invalid("parameter " + name + " takes no value, got '" + parameter.value() + "'");
        }
        return true;
    }

    // RFC 7692 §7.1.2: a decimal integer from 8 to 15, without leading zeros.
    private static int windowBits(Extension.Parameter parameter, String name) {
        String value = parameter.value();
        if (value == null) {
            throw invalid("parameter " + name + " needs a value from 8 to 15");
        }
        boolean decimal = !value.isEmpty() && value.length() <= 2 && value.charAt(0) != '0'
                && value.chars().allMatch(c -> c >= '0' && c <= '9');
        int bits = decimal ? Integer.parseInt(value) : -1;
        if (bits < DeflateParameters.MIN_WINDOW_BITS || bits > DeflateParameters.MAX_WINDOW_BITS) {
            throw invalid("parameter " + name + "=" + value + " is not an integer from 8 to 15 without leading zeros");
        }
        return bits;
    }

    private static ExtensionNegotiationException invalid(String problem) {
        return new ExtensionNegotiationException(NAME + ": " + problem + " (RFC 7692 §7)");
    }
}
