package dev.wsnetty.netty.server;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The thread starvation for real: a server in a child JVM that runs out of native threads (address space
 * limited with {@code ulimit -v}, 16 MiB stacks) while clients keep connecting. Every handshake gets an answer:
 * a 101 and an echo, or a 503 with {@code Retry-After} when no thread could be created; none is upgraded and then
 * left unserved. SIGTERM still stops the server with 1001 to the served clients.
 */
@Tag(Hostile.TAG)
class ThreadStarvationTest {
    private static final int CONNECTIONS = Hostile.size(80, 600);

    @Test
    void handshakesWithoutAThreadGet503AndServedOnesWork() throws Exception {
        ProcessBuilder command = new ProcessBuilder("bash", "-c", "ulimit -v \"$1\" && shift && exec \"$@\"", "bash",
                "1500000", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:disable", "-Xmx64m", "-Xss16m", "-XX:ReservedCodeCacheSize=32m", "-XX:CompressedClassSpaceSize=64m",
                "-XX:MaxMetaspaceSize=96m", "-cp", System.getProperty("java.class.path"),
                ThreadLimitChildServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // glibc reserves 64 MiB of address space per thread's malloc arena: keep that out of the limit.
        command.environment().put("MALLOC_ARENA_MAX", "2");
        Process child = command.start();
        List<RawClient> served = new ArrayList<>();
        int refused = 0;
        try {
            int port = ShutdownTest.readPort(child);
            for (int i = 0; i < CONNECTIONS; i++) {
                RawClient client = RawClient.connect(port);
                client.send(UpgradeRequest.to("/").header("Host", "127.0.0.1:" + port).toString());
                String head = client.readHead();
                if (head.equals(UpgradeRequest.SWITCHING)) {
                    client.sendText("echo " + i);
                    assertEquals("echo " + i, client.readFrame().text(), "connection " + i + " is served");
                    served.add(client);
                } else {
                    assertTrue(head.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), head);
                    assertTrue(head.contains("\r\nRetry-After: 5\r\n"), head);
                    String body = client.readToEnd();
                    // The first failure says so; the later ones meet the bound it lowered to the threads in use.
                    assertTrue(body.endsWith(refused == 0 ? "no handler thread can be started"
                            : "all " + served.size() + " handler threads the process could create are in use"), body);
                    client.close();
                    refused++;
                }
            }
            System.out.println(CONNECTIONS + " connections to a server out of threads: " + served.size()
                    + " served, " + refused + " refused with 503");
            assertTrue(refused > 0, "the child never ran out of threads; served " + served.size());
            assertTrue(!served.isEmpty(), "nothing was served");

            child.destroy(); // SIGTERM
            for (RawClient client : served) {
                assertEquals(CloseCodes.GOING_AWAY, client.readUntilClose().closeCode());
                client.sendClose(CloseCodes.GOING_AWAY, "");
            }
            assertTrue(child.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "SIGTERM ended the server");
        } finally {
            for (RawClient client : served) {
                close(client);
            }
            child.destroyForcibly();
        }
    }

    private static void close(RawClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // already closed by the server
        }
    }
}
