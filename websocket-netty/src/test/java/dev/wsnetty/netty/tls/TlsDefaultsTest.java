package dev.wsnetty.netty.tls;

import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.testing.LogCapture;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defaults: provider choice, protocol versions, ALPN, and what the client's default context does. */
class TlsDefaultsTest {
    @Test
    void autoPicksOpenSslWhenItLoadsAndEachChoiceIsLoggedOnce() {
        assertEquals(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK, TlsProvider.AUTO.sslProvider());
        assertEquals(SslProvider.JDK, TlsProvider.JDK.sslProvider());
        try (LogCapture log = new LogCapture("", Level.INFO)) {
            for (int i = 0; i < 3; i++) {
                TlsProvider.AUTO.sslProvider();
                TlsProvider.OPENSSL.sslProvider();
                TlsProvider.JDK.sslProvider();
            }
            // Both were resolved (and logged) above or earlier in this JVM: nothing more.
            assertEquals(List.of(), log.lines());
        }
    }

    @Test
    void settingsDefaultsAndChecks() {
        TlsConfig defaults = TlsConfig.DEFAULT;
        assertEquals(TlsProvider.AUTO, defaults.provider());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), defaults.protocols());
        assertEquals(List.of("http/1.1"), defaults.applicationProtocols());
        assertEquals(List.of("TLSv1.2"), defaults.toBuilder().protocols("TLSv1.2", "TLSv1.2").build().protocols());
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.builder().protocols("TLSv1.1"));
        assertTrue(old.getMessage().contains("TLSv1.1"), old.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().protocols());
    }

    @Test
    void defaultClientContextVerifiesHostNamesSendsSniAndOffersHttp11() {
        SslContext context = ClientConnector.defaultTlsContext();
        assertTrue(context.isClient());
        assertEquals(List.of("http/1.1"), context.applicationProtocolNegotiator().protocols());
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, "example.com", 443);
        try {
            SSLParameters parameters = engine.getSSLParameters();
            assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
            assertEquals(List.of(new SNIHostName("example.com")), parameters.getServerNames());
            // Netty's OpenSSL engine always lists the SSLv2Hello pseudo-protocol (a hello format, not a version).
            assertEquals(Set.of("TLSv1.2", "TLSv1.3"), Stream.of(engine.getEnabledProtocols())
                    .filter(p -> !p.equals("SSLv2Hello")).collect(Collectors.toSet()));
            assertEquals(OpenSsl.isAvailable(), engine.getClass().getName().contains("OpenSsl"),
                    engine.getClass().getName());
        } finally {
            ReferenceCountUtil.release(engine);
        }
    }
}
