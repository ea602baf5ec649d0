package dev.wsnetty.netty.testing;

/**
 * JSON-like text for compression tests, the same as the peer scripts' {@code json_like} ({@code peers/json_like.py}
 * and the node scripts' {@code jsonLike}), so both ends of an interop test can make the expected message.
 */
public final class JsonText {
    private JsonText() {
    }

    /** {@code size} characters of records numbered from {@code seed}. */
    public static String of(int size, int seed) {
        StringBuilder b = new StringBuilder(size + 64);
        for (int i = seed; b.length() < size; i++) {
            b.append("{\"id\":").append(i).append(",\"user\":\"user").append(i % 17)
                    .append("\",\"status\":\"active\",\"score\":").append(i * 31 % 1000).append("},");
        }
        return b.substring(0, size);
    }
}
