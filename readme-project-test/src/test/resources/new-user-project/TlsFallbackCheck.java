import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.netty.tls.TlsConfig;
import dev.wsnetty.netty.tls.TlsProvider;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;

import java.net.URI;
import java.time.Duration;

/**
 * Not from the README: added by ReadmeProjectIT next to its files. With the default TLS provider (AUTO) and no
 * netty-tcnative on the class path (it is an optional dependency of websocket-netty), a wss:// echo works on the
 * JDK's engine. Prints "wss echo over JDK: hello" and exits 0, or throws.
 */
public class TlsFallbackCheck {
    public static void main(String[] args) throws Exception {
        if (TlsProvider.isOpenSslAvailable()) {
            throw new AssertionError("OpenSSL loaded, but netty-tcnative should not be on this class path");
        }
        CertifiedKey localhost = SelfSignedCertificates.localhost();
        SslContext serverContext = localhost.serverContext(TlsConfig.DEFAULT);
        WebSocketServer server = new WebSocketServer("localhost", 0, serverContext);
        server.registerHandler("*", "/echo", new EchoServer.Echo(), true, false);
        server.bind();
        try {
            Communicator connection = new WebSocketClient(URI.create("wss://localhost:" + server.port() + "/echo"))
                    .connectOrThrow(localhost.trustingClientContext(TlsConfig.DEFAULT));
            connection.writeStringMessage("hello");
            StringMessage answer = connection.waitForStringMessage(Duration.ofSeconds(10));
            String engine = serverContext instanceof JdkSslContext ? "JDK" : serverContext.getClass().getSimpleName();
            System.out.println("wss echo over " + engine + ": " + (answer == null ? null : answer.data()));
            connection.close();
            connection.awaitClose(Duration.ofSeconds(5));
        } finally {
            server.stop();
        }
    }
}
