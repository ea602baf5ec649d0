package dev.wsnetty.examples;

import java.net.InetSocketAddress;

/** How the examples show peers and their own endpoint on the console. */
final class Addresses {
    private Addresses() {
    }

    /** The peer's IP address alone, as the original examples print it ("ADDR"), e.g. {@code 127.0.0.1}. */
    static String host(InetSocketAddress address) {
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    /**
     * The peer's IP address and its real port, as the broadcast server names participants, e.g.
     * {@code 127.0.0.1:48248} (the original printed the port byte-swapped).
     */
    static String hostAndPort(InetSocketAddress address) {
        return host(address) + ':' + address.getPort();
    }

    /**
     * The host a browser or client on this machine should use to reach a server bound to {@code bindHost}:
     * {@code localhost} for the wildcard addresses, IPv6 literals in brackets, anything else as given.
     */
    static String reachableHost(String bindHost) {
        if (bindHost.isEmpty() || bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]")) {
            return "localhost";
        }
        return bindHost.indexOf(':') >= 0 && !bindHost.startsWith("[") ? '[' + bindHost + ']' : bindHost;
    }
}
