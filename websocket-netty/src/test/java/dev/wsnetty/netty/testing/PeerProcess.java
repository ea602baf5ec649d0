package dev.wsnetty.netty.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A server of another implementation in its own process (a python-websockets or node {@code ws} script) that prints
 * {@code PORT <port> ...} as its first line once listening on 127.0.0.1 and exits when its standard input closes,
 * so it never outlives the test. {@link #close()} closes that input and waits for the end. {@link #run} runs a peer
 * client script to its end instead.
 */
public final class PeerProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private PeerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Runs {@code command} (a peer script that does its part and exits), with {@code environment} added, to its end
     * and returns its standard output's lines.
     *
     * @throws AssertionError if it ran longer than {@code limit} (it is killed) or exited with an error
     */
    public static List<String> run(List<String> command, Map<String, String> environment, Duration limit)
            throws Exception {
        // Its output goes to a file, so that what it printed can still be read after it was killed.
        Path output = Files.createTempFile("peer", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process p = builder.start();
            p.getOutputStream().close();
            boolean finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (!finished) {
                throw new AssertionError(command + " did not finish in " + limit + "; it printed: " + out);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + p.exitValue() + "; it printed: " + out);
            }
            return out.lines().toList();
        } finally {
            Files.delete(output);
        }
    }

    /**
     * Starts {@code command} and waits (30 s at most) for its {@code PORT} line.
     *
     * @throws AssertionError if it exits or stays silent instead
     */
    public static PeerProcess start(List<String> command) throws Exception {
        return start(command, Map.of());
    }

    /** {@link #start(List)} with {@code environment} added to the process's environment. */
    public static PeerProcess start(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String first;
        try {
            first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError(command + " printed no PORT line in " + START_LIMIT, e);
        }
        if (first == null) {
            process.destroyForcibly();
        }
        assertNotNull(first, () -> command + " exited before listening");
        String[] words = first.split(" ");
        assertEquals("PORT", words[0], first);
        return new PeerProcess(process, Integer.parseInt(words[1]));
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
