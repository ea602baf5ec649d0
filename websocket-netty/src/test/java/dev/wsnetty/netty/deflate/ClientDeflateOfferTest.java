package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.CompressionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static dev.wsnetty.netty.CompressionMode.CONTEXT_TAKEOVER;
import static dev.wsnetty.netty.CompressionMode.LEAN;
import static dev.wsnetty.netty.CompressionMode.OFF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's permessage-deflate offer and its check of the server's answer (RFC 7692 §7.1). */
class ClientDeflateOfferTest {

    @Test
    void eachModeOffersItsParameters() {
        assertEquals(Optional.empty(), ClientDeflateOffer.of(OFF).header());
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                + " client_max_window_bits"), ClientDeflateOffer.of(LEAN).header());
        // What browsers offer.
        assertEquals(Optional.of("permessage-deflate; client_max_window_bits"),
                ClientDeflateOffer.of(CONTEXT_TAKEOVER).header());
    }

    @Test
    void ourOffersAreAcceptedByOurServerAsOffered() {
        for (CompressionMode mode : List.of(LEAN, CONTEXT_TAKEOVER)) {
            String offer = ClientDeflateOffer.of(mode).header().orElseThrow();
            ServerDeflateNegotiator.Accepted answer = ServerDeflateNegotiator.negotiate(List.of(offer), mode)
                    .orElseThrow();
            assertEquals(Optional.of(answer.parameters()),
                    ClientDeflateOffer.of(mode).accept(List.of(answer.responseHeader())), mode.name());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "LEAN             | permessage-deflate; server_no_context_takeover; client_no_context_takeover | true true 15 15",
            // the client resets its compressor in LEAN mode whether or not the server says so
            "LEAN             | permessage-deflate; server_no_context_takeover | true true 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate                             | false false 15 15",
            // §7.1.1: the server may add either no_context_takeover
            "CONTEXT_TAKEOVER | permessage-deflate; server_no_context_takeover; client_no_context_takeover | true true 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate; client_no_context_takeover | false true 15 15",
            // §7.1.2.1: the server may announce a smaller window; inflating takes any window up to 15 bits
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=10  | false false 10 15",
            "LEAN             | permessage-deflate;server_no_context_takeover;server_max_window_bits=\"8\" | true true 8 15",
            "CONTEXT_TAKEOVER | Permessage-Deflate; SERVER_MAX_WINDOW_BITS=12  | false false 12 15",
            // §7.1.2.2: we offered client_max_window_bits, so the server may limit our window (we then compress
            // Huffman-only below 15 bits)
            "CONTEXT_TAKEOVER | permessage-deflate; client_max_window_bits=15  | false false 15 15",
            "CONTEXT_TAKEOVER | permessage-deflate; client_max_window_bits=9   | false false 15 9",
            "LEAN             | permessage-deflate; server_no_context_takeover; client_max_window_bits=8 | true true 15 8",
            "LEAN             | permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=12 | true true 9 12",
    })
    void validAnswersAreAgreed(CompressionMode mode, String answer, String agreed) {
        String[] v = agreed.split(" ");
        assertEquals(Optional.of(new DeflateParameters(Boolean.parseBoolean(v[0]), Boolean.parseBoolean(v[1]),
                        Integer.parseInt(v[2]), Integer.parseInt(v[3]))),
                ClientDeflateOffer.of(mode).accept(List.of(answer)));
    }

    @Test
    void theLeanAgreementIsTheSharedInstance() {
        assertSame(DeflateParameters.lean(), ClientDeflateOffer.of(LEAN).accept(List.of(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover")).orElseThrow());
    }

    @Test
    void noAnswerOrABlankOneMeansDeclined() {
        assertEquals(Optional.empty(), ClientDeflateOffer.of(LEAN).accept(List.of()));
        assertEquals(Optional.empty(), ClientDeflateOffer.of(CONTEXT_TAKEOVER).accept(List.of(" ")));
        assertEquals(Optional.empty(), ClientDeflateOffer.of(OFF).accept(List.of("")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "OFF              | permessage-deflate | server selected extension 'permessage-deflate', which was not offered",
            "LEAN             | x-webkit-deflate-frame | server selected extension 'x-webkit-deflate-frame', which was not offered (offered: permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits)",
            "CONTEXT_TAKEOVER | permessage-deflate, permessage-deflate | server accepted permessage-deflate more than once",
            "CONTEXT_TAKEOVER | permessage-deflate; foo | permessage-deflate: unknown parameter foo (RFC 7692 §7)",
            "CONTEXT_TAKEOVER | permessage-deflate; server_no_context_takeover; server_no_context_takeover | permessage-deflate: parameter server_no_context_takeover appears more than once",
            "CONTEXT_TAKEOVER | permessage-deflate; client_no_context_takeover=1 | permessage-deflate: parameter client_no_context_takeover takes no value, got '1'",
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits | permessage-deflate: parameter server_max_window_bits needs a value from 8 to 15",
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=7 | permessage-deflate: parameter server_max_window_bits=7 is not an integer from 8 to 15 without leading zeros",
            "CONTEXT_TAKEOVER | permessage-deflate; server_max_window_bits=010 | server_max_window_bits=010 is not an integer from 8 to 15",
            "CONTEXT_TAKEOVER | permessage-deflate; client_max_window_bits=16 | permessage-deflate: parameter client_max_window_bits=16 is not an integer from 8 to 15",
            "LEAN             | permessage-deflate; client_max_window_bits | client_max_window_bits needs a value from 8 to 15",
            "LEAN             | permessage-deflate | permessage-deflate: server did not answer server_no_context_takeover, which the client offered (RFC 7692 §7.1.1.1)",
            "LEAN             | permessage-deflate; client_no_context_takeover | server did not answer server_no_context_takeover",
            "CONTEXT_TAKEOVER | permessage-deflate; x=\"a b\" | server's Sec-WebSocket-Extensions 'permessage-deflate; x=\"a b\"' is malformed at column 23: the quoted value \"a b\" is not a token",
    })
    void invalidAnswersFailTheConnectionSayingWhy(CompressionMode mode, String answer, String reason) {
        ExtensionNegotiationException e = assertThrows(ExtensionNegotiationException.class,
                () -> ClientDeflateOffer.of(mode).accept(List.of(answer)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aSecondAnswerOnAnotherHeaderLineIsRefusedToo() {
        ExtensionNegotiationException e = assertThrows(ExtensionNegotiationException.class,
                () -> ClientDeflateOffer.of(CONTEXT_TAKEOVER).accept(List.of("permessage-deflate", "permessage-deflate")));
        assertTrue(e.getMessage().contains("more than once"), e.getMessage());
    }
}
