package dev.wsnetty.bench.server;

import dev.wsnetty.netty.CompressionMode;

import java.util.Locale;

/**
 * Which permessage-deflate an echo server runs with, from the system property {@value #PROPERTY} (set by
 * {@code bench-servers.sh} for a server name with the suffix {@code +lean}, {@code +context} or {@code +deflate}):
 * {@code off} (the default), {@code lean} or {@code context_takeover} for ours, {@code deflate} for Netty's
 * {@code WebSocketServerCompressionHandler}. Always explicit, so a change of the library's default changes no run.
 */
public final class BenchCompression {
    /** The system property naming the compression. */
    public static final String PROPERTY = "wsnetty.bench.compression";

    private BenchCompression() {
    }

    /** Our server's mode: {@code off}, {@code lean} or {@code context_takeover}. */
    static CompressionMode ours() {
        String value = value();
        return switch (value) {
            case "off" -> CompressionMode.OFF;
            case "lean" -> CompressionMode.LEAN;
            case "context_takeover" -> CompressionMode.CONTEXT_TAKEOVER;
            default -> throw new IllegalArgumentException(PROPERTY + "=" + value
                    + ": our server takes off, lean or context_takeover");
        };
    }

    /** Whether Netty's server adds its compression handler: {@code off} or {@code deflate}. */
    static boolean netty() {
        String value = value();
        if (!value.equals("off") && !value.equals("deflate")) {
            throw new IllegalArgumentException(PROPERTY + "=" + value + ": Netty's server takes off or deflate");
        }
        return value.equals("deflate");
    }

    private static String value() {
        return System.getProperty(PROPERTY, "off").toLowerCase(Locale.ROOT);
    }
}
