package dev.wsnetty.redis.testing;

import dev.wsnetty.testing.Await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package, installed by {@code .ci/run}) of the test's own: a free loopback
 * port, a temporary directory, no persistence, no system service. {@link #kill()} and {@link #restart()} simulate
 * an outage on the same port; {@link #command} speaks RESP over a plain socket, to look at Redis from outside the
 * code under test. A JVM shutdown hook kills the process if a test does not {@link #close()} it.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final String password;
    private final Path dir;
    private final Thread shutdownHook;
    /** The running process; null between {@link #kill()} and {@link #restart()}. */
    private volatile Process process;

    private RedisServer(String password) throws IOException {
        this.port = freePort();
        this.password = password;
        this.dir = Files.createTempDirectory("wsnetty-redis");
        this.shutdownHook = new Thread(this::kill, "kill redis-server on port " + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        restart();
    }

    /** Starts a redis-server without a password and waits until it answers PING. */
    public static RedisServer start() throws IOException {
        return new RedisServer(null);
    }

    /** Starts a redis-server that requires {@code password} ({@code --requirepass}). */
    public static RedisServer startWithPassword(String password) throws IOException {
        return new RedisServer(password);
    }

    /** Its port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The process's id, to signal it. */
    public long pid() {
        return process.pid();
    }

    /** {@code redis://127.0.0.1:port} (with the password if any). */
    public String uri() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    /** Kills the process at once (SIGKILL: no goodbye to its clients) and waits until it has exited. */
    public void kill() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the process again on the same port (after {@link #kill()}), waiting until it answers PING. */
    public void restart() throws IOException {
        List<String> args = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (password != null) {
            args.addAll(List.of("--requirepass", password));
        }
        try {
            process = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run redis-server (Debian package redis-server, installed by .ci/run)", e);
        }
        Await.until("redis-server answers PING on port " + port + " (log: " + dir.resolve("redis.log") + ")",
                () -> {
                    try {
                        return "PONG".equals(command("PING"));
                    } catch (IOException | RuntimeException e) {
                        return false;
                    }
                });
    }

    /**
     * Runs one command (logging in first if there is a password) and returns its reply: a simple string, an
     * error as "ERR ...", an integer or a bulk string as text, null for a null bulk, an array as its elements
     * joined by a space.
     */
    public String command(String... words) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                out.write(request("AUTH", password));
                String auth = reply(in);
                if (!"OK".equals(auth)) {
                    throw new IOException("AUTH failed: " + auth);
                }
            }
            out.write(request(words));
            return reply(in);
        }
    }

    private static byte[] request(String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
            case '-':
            case ':':
                return line;
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                String s = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                line(in);
                return s;
            }
            case '*': {
                int count = Integer.parseInt(line);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(reply(in));
                }
                return String.join(" ", items);
            }
            default:
                throw new IOException("not a RESP reply, type byte " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed in a reply");
            }
            b.write(c);
        }
        in.read(); // '\n'
        return b.toString(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Kills the process and deletes its directory. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
