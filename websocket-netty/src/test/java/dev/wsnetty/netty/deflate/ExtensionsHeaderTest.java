package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.CompressionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code Sec-WebSocket-Extensions} grammar of RFC 6455 §9.1, as {@link ExtensionsHeader} reads it. */
class ExtensionsHeaderTest {

    private static Extension.Parameter p(String name, String value) {
        return new Extension.Parameter(name, value);
    }

    private static List<Extension> parse(String... headers) throws MalformedExtensionsException {
        return ExtensionsHeader.parse(List.of(headers));
    }

    @Test
    void chromiumsOfferIsOneExtensionWithAParameterWithoutValue() throws Exception {
        assertEquals(List.of(new Extension("permessage-deflate", List.of(p("client_max_window_bits", null)))),
                parse("permessage-deflate; client_max_window_bits"));
    }

    @Test
    void extensionsAreSeparatedByCommasAndKeepTheirOrder() throws Exception {
        assertEquals(List.of(
                        new Extension("permessage-deflate", List.of(p("server_max_window_bits", "10"))),
                        new Extension("permessage-deflate", List.of()),
                        new Extension("x-webkit-deflate-frame", List.of())),
                parse("permessage-deflate; server_max_window_bits=10, permessage-deflate,x-webkit-deflate-frame"));
    }

    @Test
    void severalHeaderLinesMakeOneListInOrder() throws Exception {
        assertEquals(List.of(new Extension("a", List.of()), new Extension("b", List.of(p("x", "1"))),
                        new Extension("c", List.of())),
                parse("a", "b;x=1, c"));
    }

    @Test
    void quotedValuesAreUnescaped() throws Exception {
        assertEquals(List.of(new Extension("e", List.of(p("bits", "10"), p("name", "ab")))),
                parse("e; bits=\"10\"; name=\"a\\b\""));
    }

    @Test
    void spacesAndTabsAroundSeparatorsAreSkipped() throws Exception {
        assertEquals(List.of(new Extension("e", List.of(p("a", "1"), p("b", null))), new Extension("f", List.of())),
                parse(" \te ;a = 1;\tb , f\t"));
    }

    @Test
    void emptyElementsAndEmptyHeadersAreSkipped() throws Exception {
        assertEquals(List.of(new Extension("a", List.of()), new Extension("b", List.of())),
                parse("", ", a ,, ,b,", " "));
    }

    @Test
    void parametersKeepDuplicatesForTheExtensionToJudge() throws Exception {
        assertEquals(List.of(new Extension("e", List.of(p("a", null), p("a", "2")))), parse("e; a; a=2"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "no extension name before a parameter | ;a            | column 1: expected an extension name, found ';'",
            "no parameter name after ';'          | e;            | column 3: expected a parameter name, found the end",
            "no value after '='                   | e; a=         | column 6: expected a parameter value, found the end",
            "a separator in a name                | e/f           | column 2: expected ',' or ';', found '/'",
            "two tokens without a separator       | e f           | column 3: expected ',' or ';', found 'f'",
            "a quoted string never closed         | e; a=\"10     | column 6: the quoted string is not closed",
            "an escape at the very end            | e; a=\"1\\    | column 6: the quoted string is not closed",
            "a quoted value that is not a token   | e; a=\"1 0\"  | column 6: the quoted value \"1 0\" is not a token",
            "an empty quoted value                | e; a=\"\"     | column 6: the quoted value \"\" is not a token",
            "a quoted extension name              | \"e\"         | column 1: expected an extension name, found '\"'",
    })
    void malformedHeadersAreRefusedSayingWhere(String rule, String header, String where) {
        MalformedExtensionsException e = assertThrows(MalformedExtensionsException.class, () -> parse(header));
        assertTrue(e.getMessage().contains("'" + header + "' is malformed at " + where), e.getMessage());
    }

    /**
     * Random strings over the grammar's characters: each either parses or is refused as malformed (no other
     * exception), and the server's negotiator answers all of them without throwing.
     */
    @Test
    void anyInputParsesOrIsRefusedAsMalformed() {
        String alphabet = "pe-rmsagdflt_=;,\" \t\\0159/";
        Random random = new Random(7692);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder header = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                parse(header.toString());
                parsed++;
            } catch (MalformedExtensionsException expected) {
                // refused with a message; the rows above check the messages
            }
            ServerDeflateNegotiator.negotiate(List.of(header.toString()), CompressionMode.LEAN);
        }
        assertTrue(parsed > 1000 && parsed < 19_000, "both outcomes must be exercised, parsed " + parsed);
    }

    @Test
    void aMalformedSecondLineIsRefusedToo() {
        assertThrows(MalformedExtensionsException.class, () -> parse("permessage-deflate", "a=b"));
    }
}
