package dev.wsnetty.netty.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpTokensTest {
    private static HttpHeaders connection(String... values) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String v : values) {
            h.add("Connection", v);
        }
        return h;
    }

    @Test
    void aTokenIsFoundInAListIgnoringCaseAndSpaces() {
        assertTrue(HttpTokens.contains(connection("keep-alive,  UPGRADE"), "Connection", "upgrade"));
        assertTrue(HttpTokens.contains(connection("Upgrade"), "connection", "upgrade"));
    }

    @Test
    void aTokenIsFoundOnAnyOfSeveralHeaderLines() {
        assertTrue(HttpTokens.contains(connection("keep-alive", "", "x, upgrade"), "Connection", "upgrade"));
    }

    @Test
    void aLongerOrShorterElementIsNotTheToken() {
        assertFalse(HttpTokens.contains(connection("upgrades, upgrad, up grade"), "Connection", "upgrade"));
        assertFalse(HttpTokens.contains(connection(",,"), "Connection", "upgrade"));
        assertFalse(HttpTokens.contains(connection(), "Connection", "upgrade"));
    }

    @Test
    void containsAgreesWithAll() {
        HttpHeaders h = connection("a ,b,,  c", "d");
        assertEquals(List.of("a", "b", "c", "d"), HttpTokens.all(h, "Connection"));
        for (String token : HttpTokens.all(h, "Connection")) {
            assertTrue(HttpTokens.contains(h, "Connection", token), token);
        }
        assertEquals(List.of(), HttpTokens.all(h, "Upgrade"));
    }
}
