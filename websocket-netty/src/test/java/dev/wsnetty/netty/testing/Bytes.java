package dev.wsnetty.netty.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Byte arrays for payloads and wire bytes, written the way a test reads best. */
public final class Bytes {
    private Bytes() {
    }

    /** The bytes of a hex string without separators: {@code hex("810548656c6c6f")}. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Hex with a space between bytes, for readable failures: wire bytes are compared as these strings. */
    public static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** {@code text} in UTF-8. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes from ints, for payloads written as numbers: {@code bytes(0xC3, 0x28)}. */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** {@code n} bytes counting up from 0, wrapping at 256: a payload whose every offset is visible. */
    public static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** {@code n} times the byte {@code b}. */
    public static byte[] repeat(int b, int n) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    /** The parts one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
