package dev.wsnetty.netty.server;

import dev.wsnetty.netty.CompressionMode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@link SoakServerMain} in a child JVM, for {@link SoakTest}: started on the JDK of the system property
 * {@code wsnetty.soak.serverJavaHome} (default {@code /usr/lib/jvm/temurin-25-jdk-amd64} where it exists, else
 * this JVM's), its output copied to a log file, its answers to commands taken line by line, and lines that report
 * an error ({@code SEVERE}) or a leak ({@code LEAK}) kept for the test to assert on.
 */
final class SoakServerProcess {
    /** The JDK the soak's server runs on unless told otherwise. */
    static final String DEFAULT_JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";
    private static final long ANSWER_SECONDS = 120;
    private static final String[] ANSWERS = {"PORT ", "HEAP ", "STATS ", "LEAKS ", "UNKNOWN "};

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> problems = new ArrayList<>(); // guarded by itself
    private final int port;
    private final String javaVersion;

    private SoakServerProcess(Process process, Path log) throws IOException, InterruptedException {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        PrintWriter logFile = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        Thread reader = new Thread(() -> copyOutput(logFile), "soak-server-output");
        reader.setDaemon(true);
        reader.start();
        String[] first = answer("PORT").split(" ");
        this.port = Integer.parseInt(first[1]);
        this.javaVersion = first[3];
    }

    /** Starts the server with the given heap option, write timeout and compression; returns once it listens. */
    static SoakServerProcess start(Path log, String heapOption, long writeTimeoutMillis, CompressionMode compression)
            throws IOException, InterruptedException {
        String home = System.getProperty("wsnetty.soak.serverJavaHome",
                Files.isDirectory(Paths.get(DEFAULT_JAVA_HOME)) ? DEFAULT_JAVA_HOME : System.getProperty("java.home"));
        ProcessBuilder builder = new ProcessBuilder(Paths.get(home, "bin", "java").toString(), heapOption,
                "-Dio.netty.leakDetection.level=paranoid", "-Dio.netty.leakDetection.targetRecords=32",
                "-cp", System.getProperty("java.class.path"), SoakServerMain.class.getName(),
                Long.toString(writeTimeoutMillis), compression.name());
        builder.redirectErrorStream(true);
        return new SoakServerProcess(builder.start(), log);
    }

    private void copyOutput(PrintWriter log) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.println(line);
                if (Stream.of(ANSWERS).anyMatch(line::startsWith)) {
                    answers.add(line);
                } else if (line.contains("SEVERE") || line.contains("LEAK")) {
                    synchronized (problems) {
                        problems.add(line);
                    }
                }
            }
        } catch (IOException e) {
            answers.add("READ FAILED " + e);
        } finally {
            log.close();
        }
    }

    private String answer(String expected) throws InterruptedException {
        String line = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
        if (line == null || !line.startsWith(expected + " ")) {
            throw new AssertionError("the soak server answered " + line + " instead of " + expected
                    + " (alive: " + process.isAlive() + ")");
        }
        return line;
    }

    private String ask(String command) throws IOException, InterruptedException {
        commands.write(command + "\n");
        commands.flush();
        return answer(command);
    }

    int port() {
        return port;
    }

    String javaVersion() {
        return javaVersion;
    }

    /** The server's heap in use after three full collections. */
    long heapAfterGc() throws IOException, InterruptedException {
        return Long.parseLong(ask("HEAP").substring(5));
    }

    /** The server's counters: {@code STATS key=value ...}. */
    String stats() throws IOException, InterruptedException {
        return ask("STATS");
    }

    /** The counters as a map (values as printed; {@code codes} is a map's text). */
    Map<String, String> statsMap() throws IOException, InterruptedException {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : stats().substring(6).split(" ")) {
            int at = pair.indexOf('=');
            map.put(pair.substring(0, at), pair.substring(at + 1));
        }
        return map;
    }

    /** The numeric counters of {@link #statsMap()}: all but {@code codes}. */
    Map<String, Long> counters() throws IOException, InterruptedException {
        Map<String, Long> numbers = new TreeMap<>();
        statsMap().forEach((key, value) -> {
            if (value.matches("-?[0-9]+")) {
                numbers.put(key, Long.parseLong(value));
            }
        });
        return numbers;
    }

    /** {@code LEAKS 0}, or {@code LEAKS} and the reports, after collecting garbage. */
    String leaks() throws IOException, InterruptedException {
        return ask("LEAKS");
    }

    /** The server process's open file descriptors, counted in /proc. */
    int openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Paths.get("/proc", Long.toString(process.pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /** The log lines that reported an error or a leak so far. */
    List<String> logProblems() {
        synchronized (problems) {
            return new ArrayList<>(problems);
        }
    }

    /** Ends the server (its input ends) and waits for it, at most 30 s. */
    void stop() throws InterruptedException {
        ChildJvms.stop(process, commands);
    }
}
