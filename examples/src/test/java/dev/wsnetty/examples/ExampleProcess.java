package dev.wsnetty.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An example run as a person runs it: {@code java ... dev.wsnetty.examples.Examples <example> [options]} in a
 * child JVM, typed into through its stdin, read through its stdout and stderr.
 */
final class ExampleProcess implements AutoCloseable {
    final CapturedLines out = new CapturedLines("the child's stdout");
    final CapturedLines err = new CapturedLines("the child's stderr");
    private final Process process;
    private final Writer stdin;

    private ExampleProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), out, "stdout");
        pump(process.getErrorStream(), err, "stderr");
    }

    /** Starts the examples' main class with {@code args} on this test's class path. */
    static ExampleProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfile.encoding=UTF-8", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Examples.class.getName()));
        command.addAll(List.of(args));
        return new ExampleProcess(new ProcessBuilder(command).start());
    }

    private static void pump(InputStream from, OutputStream to, String name) {
        Thread thread = new Thread(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the child's " + name, e);
            }
        }, "child-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Types {@code line} and Enter. */
    void type(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Asks the process to end, as a service manager does: SIGTERM on Unix. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end by itself. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the process did not end within " + timeout.toMillis() + " ms; it printed " + out.lines()
                    + ", errors " + err.lines());
        }
        return process.exitValue();
    }

    /** Kills the process if a failed test left it running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(RunningExample.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
