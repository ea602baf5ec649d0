package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.CompressionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Optional;

import static dev.wsnetty.netty.CompressionMode.CONTEXT_TAKEOVER;
import static dev.wsnetty.netty.CompressionMode.LEAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The server's answer to permessage-deflate offers (RFC 7692 §5, §7): one row per rule, with the answer written in
 * the 101 and the parameters agreed ("declined" when no offer is accepted).
 */
class ServerDeflateNegotiatorTest {

    private static final String LEAN_ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // the two modes answering what browsers offer
            "LEAN             | permessage-deflate; client_max_window_bits | " + LEAN_ANSWER + " | true true 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate; client_max_window_bits | permessage-deflate | false false 15 15",
            "LEAN             | permessage-deflate                         | " + LEAN_ANSWER + " | true true 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate                         | permessage-deflate | false false 15 15",
            // §7.1.1: each no_context_takeover the client asks for is granted
            "CONTEXT_TAKEOVER | permessage-deflate; server_no_context_takeover | permessage-deflate; server_no_context_takeover | true false 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate; client_no_context_takeover | permessage-deflate; client_no_context_takeover | false true 15 15",
            "LEAN             | permessage-deflate; client_no_context_takeover; server_no_context_takeover | " + LEAN_ANSWER + " | true true 15 15",
            // §7.1.2.1: the server's window is answered with the same value; one below 15 is honoured by
            // compressing Huffman-only (java.util.zip.Deflater cannot shrink its window)
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=15  | permessage-deflate; server_max_window_bits=15 | false false 15 15",
            "LEAN             | permessage-deflate; server_max_window_bits=15  | " + LEAN_ANSWER + "; server_max_window_bits=15 | true true 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=14  | permessage-deflate; server_max_window_bits=14 | false false 14 15",
            "LEAN             | permessage-deflate; server_max_window_bits=8   | " + LEAN_ANSWER + "; server_max_window_bits=8 | true true 8 15",
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=\"15\" | permessage-deflate; server_max_window_bits=15 | false false 15 15",
            // §7.1.2.2: the client's own window limit is noted, not answered
            "CONTEXT_TAKEOVER | permessage-deflate; client_max_window_bits=10  | permessage-deflate | false false 15 10",
            "LEAN             | permessage-deflate; client_max_window_bits=8   | " + LEAN_ANSWER + " | true true 15 8",
            // several offers: the first acceptable one wins
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=10, permessage-deflate; client_no_context_takeover | permessage-deflate; server_max_window_bits=10 | false false 10 15",
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=16, permessage-deflate; client_no_context_takeover | permessage-deflate; client_no_context_takeover | false true 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate; server_no_context_takeover, permessage-deflate | permessage-deflate; server_no_context_takeover | true false 15 15",
            "CONTEXT_TAKEOVER | x-webkit-deflate-frame, permessage-deflate    | permessage-deflate | false false 15 15",
            "CONTEXT_TAKEOVER | foo; bar=1; baz=\"q\", permessage-deflate; bad, permessage-deflate | permessage-deflate | false false 15 15",
            "CONTEXT_TAKEOVER | PerMessage-Deflate; Server_No_Context_Takeover | permessage-deflate; server_no_context_takeover | true false 15 15",
            // §7: offers with unknown, repeated or invalid parameters are declined
            "CONTEXT_TAKEOVER | permessage-deflate; foo                        | declined | ",
            "LEAN             | permessage-deflate; server_no_context_takeover; server_no_context_takeover | declined | ",
            "LEAN             | permessage-deflate; client_max_window_bits; client_max_window_bits=10 | declined | ",
            "LEAN             | permessage-deflate; server_no_context_takeover=1 | declined | ",
            "LEAN             | permessage-deflate; client_no_context_takeover=true | declined | ",
            "LEAN             | permessage-deflate; server_max_window_bits     | declined | ",
            "LEAN             | permessage-deflate; server_max_window_bits=16  | declined | ",
            "LEAN             | permessage-deflate; server_max_window_bits=015 | declined | ",
            "LEAN             | permessage-deflate; client_max_window_bits=7   | declined | ",
            "LEAN             | permessage-deflate; client_max_window_bits=09  | declined | ",
            "LEAN             | permessage-deflate; client_max_window_bits=ten | declined | ",
            // no offer of ours, or a header that breaks RFC 6455 §9.1: no extension at all
            "LEAN             | x-webkit-deflate-frame                         | declined | ",
            "LEAN             | permessage-deflate; a=\"                       | declined | ",
            "LEAN             | permessage-deflate, bad/name                   | declined | ",
    })
    void answersEachOffer(CompressionMode mode, String offer, String answer, String agreed) {
        Optional<ServerDeflateNegotiator.Accepted> accepted = ServerDeflateNegotiator.negotiate(List.of(offer), mode);
        if (answer.equals("declined")) {
            assertFalse(accepted.isPresent(), () -> "accepted: " + accepted.get());
            return;
        }
        assertEquals(answer, accepted.orElseThrow().responseHeader());
        assertEquals(parameters(agreed), accepted.get().parameters());
    }

    @ParameterizedTest
    @EnumSource(CompressionMode.class)
    void noOfferNoAnswer(CompressionMode mode) {
        assertFalse(ServerDeflateNegotiator.negotiate(List.of(), mode).isPresent());
    }

    @Test
    void offModeDeclinesEveryOffer() {
        assertFalse(ServerDeflateNegotiator.negotiate(List.of("permessage-deflate", "permessage-deflate;"
                + " client_max_window_bits"), CompressionMode.OFF).isPresent());
    }

    @Test
    void offersSpreadOverSeveralHeaderLinesAreTakenInOrder() {
        ServerDeflateNegotiator.Accepted accepted = ServerDeflateNegotiator.negotiate(List.of("foo",
                "permessage-deflate; server_max_window_bits=09", "permessage-deflate; client_no_context_takeover",
                "permessage-deflate"), CONTEXT_TAKEOVER).orElseThrow();
        assertEquals("permessage-deflate; client_no_context_takeover", accepted.responseHeader());
    }

    @Test
    void aMalformedLineDeclinesTheWellFormedOnesToo() {
        assertFalse(ServerDeflateNegotiator.negotiate(List.of("permessage-deflate", "permessage-deflate; ;"), LEAN)
                .isPresent());
    }

    @Test
    void agreementsWithFullWindowsAreSharedNotMadePerConnection() {
        DeflateParameters chromium = ServerDeflateNegotiator.negotiate(
                List.of("permessage-deflate; client_max_window_bits"), LEAN).orElseThrow().parameters();
        assertSame(DeflateParameters.lean(), chromium);
        assertSame(chromium, ServerDeflateNegotiator.negotiate(List.of("permessage-deflate"), LEAN).orElseThrow()
                .parameters());
        assertSame(DeflateParameters.contextTakeover(), ServerDeflateNegotiator.negotiate(
                List.of("permessage-deflate"), CONTEXT_TAKEOVER).orElseThrow().parameters());
        assertSame(DeflateParameters.of(false, true, 15, 15), ServerDeflateNegotiator.negotiate(
                List.of("permessage-deflate; client_no_context_takeover"), CONTEXT_TAKEOVER).orElseThrow()
                .parameters());
        // A smaller window is rare: equal values, an instance of its own.
        DeflateParameters small = ServerDeflateNegotiator.negotiate(
                List.of("permessage-deflate; server_max_window_bits=10"), LEAN).orElseThrow().parameters();
        assertEquals(new DeflateParameters(true, true, 10, 15), small);
        assertNotSame(small, DeflateParameters.of(true, true, 10, 15));
    }

    /** "serverNoContextTakeover clientNoContextTakeover serverMaxWindowBits clientMaxWindowBits". */
    private static DeflateParameters parameters(String agreed) {
        String[] v = agreed.trim().split(" +");
        return new DeflateParameters(Boolean.parseBoolean(v[0]), Boolean.parseBoolean(v[1]), Integer.parseInt(v[2]),
                Integer.parseInt(v[3]));
    }
}
