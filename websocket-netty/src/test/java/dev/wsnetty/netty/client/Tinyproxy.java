package dev.wsnetty.netty.client;

import dev.wsnetty.testing.Await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's tinyproxy (installed by {@code .ci/run}), started in the foreground with a generated configuration on a
 * free loopback port, for tests through a real HTTP CONNECT proxy; {@link #close()} stops it.
 */
final class Tinyproxy implements AutoCloseable {
    private final Process process;
    private final Path directory;
    private final int port;

    private Tinyproxy(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts tinyproxy allowing CONNECT from 127.0.0.1 to {@code connectPorts} only (a CONNECT to any other port
     * gets 403), asking for basic authentication when {@code user} is not null.
     */
    static Tinyproxy start(String user, String password, int... connectPorts) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path directory = Files.createTempDirectory("tinyproxy");
        List<String> config = new ArrayList<>(List.of(
                "Port " + port,
                "Listen 127.0.0.1",
                "Timeout 30",
                "MaxClients 50",
                "LogLevel Info",
                "LogFile \"" + directory.resolve("tinyproxy.log") + "\"",
                "Allow 127.0.0.1"));
        if (user != null) {
            config.add("BasicAuth " + user + " " + password);
        }
        for (int p : connectPorts) {
            config.add("ConnectPort " + p);
        }
        Path file = directory.resolve("tinyproxy.conf");
        Files.write(file, config, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder("tinyproxy", "-d", "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.log").toFile()).start();
        Tinyproxy proxy = new Tinyproxy(process, directory, port);
        try {
            proxy.awaitListening();
        } catch (AssertionError e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    private void awaitListening() {
        Await.until("tinyproxy listening on port " + port, () -> {
            if (!process.isAlive()) {
                fail("tinyproxy exited with " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    int port() {
        return port;
    }

    /** What tinyproxy wrote to its log and output so far, for failure messages. */
    String log() {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("stdout.log", "tinyproxy.log")) {
            Path p = directory.resolve(name);
            try {
                all.append(Files.readString(p, StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                all.append("(no ").append(name).append(": ").append(e.getMessage()).append(")");
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
