package dev.wsnetty.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcceptKeyTest {
    @Test
    void matchesTheExampleOfRfc6455() {
        // RFC 6455 §1.3: key "dGhlIHNhbXBsZSBub25jZQ==" is answered with "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AcceptKey.of("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void writtenBytesMatchTheExampleOfRfc6455() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", written(new AsciiString("dGhlIHNhbXBsZSBub25jZQ==")));
    }

    @Test
    void writtenBytesAreTheStringForEveryKeyLength() {
        // The same digest twice in a row, so the reused scratch arrays carry nothing over.
        for (String key : new String[] {"", "x", "AAAAAAAAAAAAAAAAAAAAAA==", "AAAAAAAAAAAAAAAAAAAAAA==",
                "é-not-ascii-24-chars-key", "a key longer than twenty-four characters"}) {
            assertEquals(AcceptKey.of(key), written(key), key);
        }
    }

    private static String written(CharSequence key) {
        ByteBuf out = Unpooled.buffer();
        try {
            AcceptKey.writeTo(out, key);
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }
}
