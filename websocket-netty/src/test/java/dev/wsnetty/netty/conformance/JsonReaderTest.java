package dev.wsnetty.netty.conformance;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReaderTest {
    @Test
    void readsNestedObjectsArraysAndScalars() {
        Object value = JsonReader.parse(" {\"a\": [1, -2.5e1, true, false, null, \"x\"], \"b\": {}, \"c\": []} ");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -25.0, true, false, null, "x"));
        expected.put("b", Map.of());
        expected.put("c", List.of());
        assertEquals(expected, value);
    }

    @Test
    void decodesEscapes() {
        assertEquals("q\" b\\ s/ \b\f\n\r\t \u00e9\u20ac", JsonReader.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC\""));
    }

    @Test
    void keepsMemberOrder() {
        Object value = JsonReader.parse("{\"z\": 1, \"a\": 2, \"m\": 3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(((Map<?, ?>) value).keySet()));
    }

    @Test
    void readsNull() {
        assertNull(JsonReader.parse("null"));
    }

    @Test
    void rejectsMalformedInputNamingTheOffset() {
        assertMalformed("{\"a\" 1}", "offset 5: expected ':'");
        assertMalformed("[1, 2", "offset 5: expected ']'");
        assertMalformed("\"open", "unterminated string");
        assertMalformed("{} x", "offset 3: unexpected data after the JSON value");
        assertMalformed("\"\\x\"", "invalid escape \\x");
        assertMalformed("tru", "expected true");
        assertMalformed("1.2.3", "invalid number 1.2.3");
        assertMalformed("", "unexpected end of input");
    }

    private static void assertMalformed(String json, String expectedMessagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    }
}
