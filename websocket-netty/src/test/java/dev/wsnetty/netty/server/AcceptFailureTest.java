package dev.wsnetty.netty.server;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accepting when the process is out of file descriptors, in a child JVM whose descriptors are used up: the server
 * says "too many open files" once per log interval without a stack trace, pauses accepting, and serves again once
 * descriptors are free.
 */
class AcceptFailureTest {
    private static final int BACKOFF_MILLIS = 100;
    private static final int LOG_INTERVAL_MILLIS = 1000;
    private static final int WAITING = 12;

    @Test
    void acceptingWithoutFileDescriptorsLogsOncePerIntervalAndRecovers() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AcceptLimitChildServer.class.getName(),
                Integer.toString(BACKOFF_MILLIS), Integer.toString(LOG_INTERVAL_MILLIS)).start();
        List<String> errors = new CopyOnWriteArrayList<>();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        pump(child.getErrorStream(), errors::add);
        pump(child.getInputStream(), out::add);
        OutputStream commands = child.getOutputStream();
        List<Socket> waiting = new ArrayList<>();
        try {
            String first = out.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(first != null && first.startsWith("PORT "), "child said " + first + ", errors " + errors);
            int port = Integer.parseInt(first.substring(5));
            serveOne(port); // loads the classes of a whole connection while files can still be opened

            send(commands, "fill");
            assertEquals("FILLED", out.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            long started = System.nanoTime();
            for (int i = 0; i < WAITING; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port)); // the backlog completes it
                waiting.add(socket);
            }
            // Two lines: the first failure, then the next interval's with the count of those left out.
            Await.until("two intervals' lines about too many open files",
                    () -> lines(errors, "WARNING: Accepting a connection").size() >= 2);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            List<String> told = lines(errors, "WARNING: Accepting a connection");
            assertTrue(told.get(0).contains("failed: too many open files"), told.get(0));
            assertTrue(told.size() <= elapsedMillis / LOG_INTERVAL_MILLIS + 2,
                    told.size() + " lines in " + elapsedMillis + " ms: " + told);
            assertTrue(told.get(1).contains("more like it since the last one were not logged"), told.get(1));
            assertEquals(List.of(), lines(errors, "tail of the pipeline"));
            assertEquals(List.of(), lines(errors, "\tat "), "stack traces");

            send(commands, "free");
            assertEquals("FREED", out.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            Await.until("a new connection is served", () -> {
                try {
                    serveOne(port);
                    return true;
                } catch (IOException | AssertionError e) {
                    return false;
                }
            });
        } finally {
            for (Socket socket : waiting) {
                socket.close();
            }
            child.destroyForcibly();
            child.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void serveOne(int port) throws IOException {
        try (RawClient client = RawClient.connect(port)) {
            client.upgrade(UpgradeRequest.to("/").header("Host", "127.0.0.1:" + port), new byte[0]);
            client.sendClose(CloseCodes.NORMAL_CLOSURE, "");
            assertEquals(CloseCodes.NORMAL_CLOSURE, client.readUntilClose().closeCode());
        }
    }

    private static List<String> lines(List<String> all, String text) {
        List<String> found = new ArrayList<>();
        for (String line : all) {
            if (line.toLowerCase().contains(text.toLowerCase())) {
                found.add(line);
            }
        }
        return found;
    }

    private static void send(OutputStream commands, String command) throws IOException {
        commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }

    private static void pump(java.io.InputStream from, java.util.function.Consumer<String> to) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    to.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "child-output");
        thread.setDaemon(true);
        thread.start();
    }
}
