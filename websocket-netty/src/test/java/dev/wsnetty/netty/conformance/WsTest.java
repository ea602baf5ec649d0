package dev.wsnetty.netty.conformance;

import dev.wsnetty.testing.Await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Autobahn|Testsuite's {@code wstest} in a child JVM: the suite's Python 2 code as the
 * autobahntestsuite-maven-plugin jar ships it (autobahntestsuite, autobahn, twisted), run by Jython, the way the
 * plugin's own mojo runs it in-process. A child process rather than the test JVM because Jython's interpreter,
 * its threads and its 16 MiB case messages have no business in the JVM whose leaks are checked.
 *
 * <p>Where the two jars are: the system properties {@value #JYTHON_PROPERTY} and {@value #SUITE_PROPERTY}, which
 * the build sets to the copies it resolves (see websocket-netty's pom). Which cases: {@value #CASES_PROPERTY} and
 * {@value #EXCLUDE_PROPERTY}, comma-separated patterns as the plugin takes them ("*", "9.*"), and from sections 12
 * and 13 (permessage-deflate) those of {@value #DEFLATE_PROPERTY}. The suite this jar ships has no case of
 * sections 12 and 13 (its protocol speaks permessage-deflate, though): {@code wsnetty_deflate_cases.py}, a test
 * resource, adds them, as the suite documents them, to the runs started here. Everything a run writes (spec,
 * launcher script, the suite's console output, its report) goes to one output directory, emptied when the run
 * starts.
 */
final class WsTest implements AutoCloseable {
    /** The system property naming jython-standalone's jar. */
    static final String JYTHON_PROPERTY = "wsnetty.autobahn.jython";
    /** The system property naming the autobahntestsuite-maven-plugin jar, which holds the suite's Python code. */
    static final String SUITE_PROPERTY = "wsnetty.autobahn.suite";
    /** The system property with the case patterns to run; every case when it is not set. */
    static final String CASES_PROPERTY = "wsnetty.autobahn.cases";
    /** The system property with the case patterns to leave out; section 9 when it is not set, none when empty. */
    static final String EXCLUDE_PROPERTY = "wsnetty.autobahn.excludeCases";
    /**
     * The system property with the patterns of the section 12 and 13 cases to run (exact ids, or patterns with
     * {@code *}); {@link #DEFAULT_DEFLATE_CASES} when it is not set, none when empty.
     */
    static final String DEFLATE_PROPERTY = "wsnetty.autobahn.deflateCases";
    /**
     * A representative subset of sections 12 and 13: small messages of three data sets (JSON as text, a bitmap and
     * German text as binary) with the default offer, and one case of each kind of parameter (no context takeover,
     * a 9-bit window, both, three offers). Each case is 1,000 round trips.
     */
    static final String DEFAULT_DEFLATE_CASES =
            "12.1.1,12.1.2,12.1.3,12.2.1,12.2.2,12.3.1,13.1.1,13.2.1,13.3.1,13.5.1,13.7.1";
    /** The system property naming the directory the runs write under; {@code target/autobahn} when not set. */
    static final String REPORTS_PROPERTY = "wsnetty.autobahn.reports";

    /** The Python module (a test resource) that adds the cases of sections 12 and 13. */
    private static final String DEFLATE_CASES_MODULE = "wsnetty_deflate_cases";

    /** The fuzzing server on loopback only (wstest's own mode listens on every interface and adds a web UI). */
    private static final String FUZZING_SERVER = """
            import json, sys
            from twisted.python import log
            log.startLogging(sys.stdout)
            from twisted.internet import reactor
            from autobahn.websocket import listenWS
            from autobahntestsuite import fuzzing
            spec = json.load(open(sys.argv[1]))
            sys.path.insert(0, '.')
            import wsnetty_deflate_cases
            wsnetty_deflate_cases.register(spec['wsnetty-deflate-cases'])
            # On Jython, a connection whose peer closed TCP first (a client failing the connection) never reports
            # connectionLost after the server's loseConnection, so its case would never be logged. Abort it after
            # a second, ample for the loopback to take what is left to send (a no-op once it is closed).
            dropConnection = fuzzing.FuzzingServerProtocol.dropConnection
            def dropThenAbort(self, abort=False):
                dropConnection(self, abort)
                reactor.callLater(1, self.transport.abortConnection)
            fuzzing.FuzzingServerProtocol.dropConnection = dropThenAbort
            listenWS(fuzzing.FuzzingServerFactory(spec), interface='127.0.0.1')
            reactor.run()
            """;
    /** The fuzzing client as wstest runs it: every case against the spec's server, the report, then exit. */
    private static final String FUZZING_CLIENT = """
            import json, sys
            from twisted.python import log
            log.startLogging(sys.stdout)
            from autobahntestsuite import wstest
            spec = json.load(open(sys.argv[1]))
            sys.path.insert(0, '.')
            import wsnetty_deflate_cases
            wsnetty_deflate_cases.register(spec['wsnetty-deflate-cases'])
            wstest.start({'mode': 'fuzzingclient'}, spec)
            """;

    /** How long a stopped child gets to exit before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    /** The child's stdout and stderr. */
    private final Path console;

    private WsTest(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    /**
     * Starts the suite's fuzzing server on 127.0.0.1:{@code port}; it writes its report into {@code outdir} when
     * a client asks for {@code /updateReports}. Wait for it with {@link #awaitListening(int, Duration)}.
     *
     * @throws IOException if the spec cannot be written or the JVM not started
     */
    static WsTest fuzzingServer(Path outdir, int port) throws IOException {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("url", "ws://127.0.0.1:" + port);
        spec.put("outdir", outdir.toString());
        putCases(spec, CaseSelection.fromProperties());
        return start(outdir, "fuzzing-server", FUZZING_SERVER, spec);
    }

    /**
     * Waits until the child accepts connections on {@code port}.
     *
     * @throws AssertionError if it exits first or {@code limit} passes
     */
    void awaitListening(int port, Duration limit) {
        Await.until("wstest listens on port " + port + " (its output: " + console + ")", limit, () -> accepts(port));
    }

    /**
     * Starts the suite's fuzzing client against {@code ws://127.0.0.1:port/}, filing its results under
     * {@code agent} in {@code outdir}. Wait for it with {@link #awaitExit(Duration)}.
     *
     * @param cases which cases to run
     * @throws IOException if the spec cannot be written or the JVM not started
     */
    static WsTest fuzzingClient(Path outdir, String agent, int port, CaseSelection cases) throws IOException {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("agent", agent);
        server.put("url", "ws://127.0.0.1:" + port + "/");
        server.put("options", Map.of("version", 18));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("outdir", outdir.toString());
        // As the plugin: a connection the server drops is judged by its close behaviour, not failed outright.
        spec.put("options", Map.of("failByDrop", false));
        spec.put("servers", List.of(server));
        putCases(spec, cases);
        return start(outdir, "fuzzing-client", FUZZING_CLIENT, spec);
    }

    /** The directory a run named {@code name} writes under. */
    static Path outputDirectory(String name) {
        return Path.of(System.getProperty(REPORTS_PROPERTY, "target/autobahn")).resolve(name).toAbsolutePath();
    }

    /** A port on 127.0.0.1 that was free a moment ago, for the child to listen on. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits for the child to exit on its own.
     *
     * @throws AssertionError if it does not within {@code limit} or exits with a status other than 0
     */
    void awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("wstest did not finish within " + limit.toSeconds() + " s; its output: "
                    + console);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("wstest exited with status " + process.exitValue() + "; its output: " + console);
        }
    }

    /**
     * Stops the child if it still runs: asks it to exit, then kills it after {@link #STOP_GRACE}. Interrupted, it
     * kills it at once and keeps the interrupt status.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The cases of a run, as the suite's spec names them: {@code cases} minus {@code excluded}, and the cases of
     * sections 12 and 13 that {@code deflate} selects (the only ones of those sections that exist in the run).
     *
     * @param cases    patterns of the cases to run
     * @param excluded patterns of the cases to leave out
     * @param deflate  patterns of the section 12 and 13 cases to add
     */
    record CaseSelection(List<String> cases, List<String> excluded, List<String> deflate) {
        /** What the system properties select (see the class description). */
        static CaseSelection fromProperties() {
            return new CaseSelection(patterns(CASES_PROPERTY, "*"), patterns(EXCLUDE_PROPERTY, "9.*"), deflateCases());
        }

        /** Only the section 12 and 13 cases the system property selects. */
        static CaseSelection deflateOnly() {
            return new CaseSelection(List.of(), List.of(), deflateCases());
        }

        private static List<String> deflateCases() {
            return patterns(DEFLATE_PROPERTY, DEFAULT_DEFLATE_CASES);
        }
    }

    private static void putCases(Map<String, Object> spec, CaseSelection selection) {
        List<String> cases = new ArrayList<>(selection.cases());
        cases.addAll(selection.deflate());
        spec.put("cases", cases);
        spec.put("exclude-cases", selection.excluded());
        spec.put("exclude-agent-cases", Map.of());
        spec.put("wsnetty-deflate-cases", selection.deflate());
    }

    private static WsTest start(Path outdir, String name, String script, Map<String, Object> spec)
            throws IOException {
        deleteRecursively(outdir);
        Files.createDirectories(outdir);
        try (InputStream module = WsTest.class.getResourceAsStream("/autobahn/" + DEFLATE_CASES_MODULE + ".py")) {
            if (module == null) {
                throw new IllegalStateException("the test resource autobahn/" + DEFLATE_CASES_MODULE
                        + ".py is missing");
            }
            Files.copy(module, outdir.resolve(DEFLATE_CASES_MODULE + ".py"));
        }
        Path specFile = Files.writeString(outdir.resolve(name + ".json"), Json.write(spec), StandardCharsets.UTF_8);
        Path scriptFile = Files.writeString(outdir.resolve(name + ".py"), script, StandardCharsets.UTF_8);
        Path console = outdir.resolve(name + ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar(JYTHON_PROPERTY) + java.io.File.pathSeparator + jar(SUITE_PROPERTY),
                "org.python.util.jython", scriptFile.toString(), specFile.toString());
        Process process = new ProcessBuilder(command)
                .directory(outdir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile())
                .start();
        return new WsTest(process, console);
    }

    /** A previous run's case reports must not be mistaken for this run's. */
    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private boolean accepts(int port) {
        if (!process.isAlive()) {
            throw new AssertionError("wstest exited with status " + process.exitValue() + " before listening; its"
                    + " output: " + console);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String jar(String property) {
        String path = System.getProperty(property);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("System property " + property + " must name an existing jar, is "
                    + path + "; the build sets it (websocket-netty's pom, the autobahn executions)");
        }
        return path;
    }

    private static List<String> patterns(String property, String unset) {
        List<String> patterns = new ArrayList<>();
        for (String pattern : System.getProperty(property, unset).split(",")) {
            if (!pattern.isBlank()) {
                patterns.add(pattern.strip());
            }
        }
        return patterns;
    }

    /** The spec file's JSON: objects, arrays, strings and numbers. */
    private static final class Json {
        private Json() {
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            append(out, value);
            return out.toString();
        }

        private static void append(StringBuilder out, Object value) {
            if (value instanceof Map<?, ?> map) {
                out.append('{');
                String separator = "";
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(separator);
                    append(out, entry.getKey().toString());
                    out.append(':');
                    append(out, entry.getValue());
                    separator = ",";
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                String separator = "";
                for (Object element : list) {
                    out.append(separator);
                    append(out, element);
                    separator = ",";
                }
                out.append(']');
            } else if (value instanceof String text) {
                out.append('"');
                for (char c : text.toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                out.append('"');
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                throw new IllegalArgumentException("not writable as JSON: " + value);
            }
        }
    }
}
