package dev.wsnetty.examples;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.tls.ClientTlsContexts;
import dev.wsnetty.netty.tls.TlsConfig;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static dev.wsnetty.examples.RunningExample.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code broadcast-server --tls}: a self-signed certificate is written where the server says, the chat page comes
 * over https and the broadcast over wss on the same port, for a client that trusts that certificate.
 */
class BroadcastServerTlsTest {
    private static final String CERTIFICATE_BANNER = "Self-signed certificate for localhost: ";

    @Test
    void servesThePageOverHttpsAndTheBroadcastOverWss() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer("--tls")) {
            String banner = server.console.out.awaitStartingWith(CERTIFICATE_BANNER, TIMEOUT);
            Path certificate = Path.of(banner.substring(CERTIFICATE_BANNER.length(), banner.indexOf(" (")));
            server.console.out.awaitStartingWith("Chat page: https://127.0.0.1:" + server.port() + "/ (WebSocket endpoint wss://", TIMEOUT);

            HttpResponse<String> page = HttpClient.newBuilder().sslContext(trusting(certificate)).build().send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("wss://"), "the page connects with wss:// when served over https");

            WebSocketClient client = new WebSocketClient(URI.create("wss://localhost:" + server.port() + "/ws"));
            Communicator communicator = client.connect(ClientTlsContexts.trustingPem(certificate, TlsConfig.DEFAULT));
            assertNotNull(communicator, "the server refused the wss connection");
            try {
                StringMessage joined = communicator.waitForStringMessage(TIMEOUT);
                assertNotNull(joined, "no joined message over wss");
                assertTrue(joined.data().endsWith("joined the broadcast"), joined.data());
                communicator.writeStringMessage("over TLS");
                StringMessage says = communicator.waitForStringMessage(TIMEOUT);
                assertNotNull(says, "no broadcast over wss");
                assertTrue(says.data().endsWith("says: over TLS"), says.data());
            } finally {
                communicator.close();
            }
        }
    }

    private static SSLContext trusting(Path certificatePem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("dev" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
