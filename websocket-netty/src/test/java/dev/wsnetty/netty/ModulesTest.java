package dev.wsnetty.netty;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module descriptors of {@code websocket-api} ({@code dev.wsnetty}) and {@code websocket-netty}
 * ({@code dev.wsnetty.netty}) on the module path, as an application that is itself a module uses them (every other
 * test runs on the class path): such an application compiles against the exported packages alone and runs a server
 * and a client; the internal packages stay closed to it; and the packages of the two modules depend on each other
 * without a cycle.
 */
class ModulesTest {
    private static final String APP = """
            package app;

            import dev.wsnetty.Communicator;
            import dev.wsnetty.StringMessage;
            import dev.wsnetty.ThreadedWebSocketHandler;
            import dev.wsnetty.netty.client.WebSocketClient;
            import dev.wsnetty.netty.server.WebSocketServer;

            import java.net.URI;
            import java.time.Duration;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
                    server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
                        @Override
                        protected void doHandleCommunication(Communicator communicator) {
                            StringMessage message;
                            while ((message = communicator.waitForStringMessage()) != null) {
                                communicator.writeStringMessage("echo: " + message.data());
                            }
                        }
                    }, true, true);
                    server.bind();
                    try {
                        Communicator connection =
                                new WebSocketClient(URI.create("ws://127.0.0.1:" + server.port() + "/")).connect();
                        connection.writeStringMessage("over the module path");
                        System.out.println(connection.waitForStringMessage(Duration.ofSeconds(20)).data());
                        connection.close();
                        System.out.println(connection.awaitClose(Duration.ofSeconds(20)).describe());
                    } finally {
                        server.stop();
                    }
                }
            }
            """;

    @Test
    void anApplicationModuleRunsServerAndClientThroughTheExportedPackages(@TempDir Path dir) throws Exception {
        Path classes = compile(dir, "module app { requires dev.wsnetty.netty; }", "app/Main.java", APP);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--module-path", classes + File.pathSeparator + modulePath(),
                "-m", "app/app.Main")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("out.txt"));
        assertTrue(exited, "the application did not finish within 60 s; it printed:\n" + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("echo: over the module path\ncode 1000"), output);
    }

    @Test
    void theInternalPackagesAreNotExported(@TempDir Path dir) throws IOException {
        String source = """
                package app;

                public final class Peek {
                    Object kernel = dev.wsnetty.netty.internal.codec.Masking.class;
                    Object executors = dev.wsnetty.internal.SharedExecutors.class;
                }
                """;
        String errors = compileErrors(dir, "module app { requires dev.wsnetty.netty; }", "app/Peek.java", source);

        assertTrue(errors.contains("package dev.wsnetty.netty.internal.codec is declared in module dev.wsnetty.netty,"
                + " which does not export it"), errors);
        assertTrue(errors.contains("package dev.wsnetty.internal is declared in module dev.wsnetty, which does not"
                + " export it to module app"), errors);
    }

    @Test
    void thePackagesOfBothModulesFormNoCycle() {
        Map<String, Set<String>> uses = packageDependencies();
        assertFalse(uses.isEmpty(), "jdeps found no package dependencies");

        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            for (String next : uses.get(start)) {
                if (reaches(uses, next, start, new HashSet<>())) {
                    cycles.add(start + " -> " + next + " -> ... -> " + start);
                }
            }
        }
        assertTrue(cycles.isEmpty(), "package cycles: " + cycles);
    }

    /** Which wsnetty packages each wsnetty package uses, as jdeps reads it off the compiled classes. */
    private static Map<String, Set<String>> packageDependencies() {
        StringWriter out = new StringWriter();
        int status = java.util.spi.ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "--multi-release", String.valueOf(Runtime.version().feature()), "-verbose:package", "-filter:none",
                "--module-path", modulePath(), "--add-modules", "dev.wsnetty,dev.wsnetty.netty");
        assertEquals(0, status, out.toString());
        Map<String, Set<String>> uses = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[1].equals("->") && words[0].startsWith("dev.wsnetty")
                    && words[2].startsWith("dev.wsnetty") && !words[0].equals(words[2])) {
                uses.computeIfAbsent(words[0], p -> new HashSet<>()).add(words[2]);
            }
        }
        return uses;
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (reaches(uses, next, to, seen)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The module path of an application using wsnetty: the main classes of both wsnetty modules and Netty's jars,
     * taken from this test's class path (which has them as jars or as class directories with their module-info).
     */
    private static String modulePath() {
        List<String> entries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains(File.separator + "io" + File.separator + "netty" + File.separator)
                        || e.endsWith("websocket-api" + File.separator + "target" + File.separator + "classes")
                        || e.endsWith("websocket-netty" + File.separator + "target" + File.separator + "classes")
                        || (e.contains("websocket-api-") && e.endsWith(".jar") && !e.endsWith("-tests.jar")))
                .collect(Collectors.toList());
        assertEquals(2, entries.stream().filter(e -> e.contains("websocket-")).count(),
                "both wsnetty modules on the class path: " + entries);
        return String.join(File.pathSeparator, entries);
    }

    private static Path compile(Path dir, String moduleInfo, String file, String source) throws IOException {
        String errors = compileErrors(dir, moduleInfo, file, source);
        assertTrue(errors.isEmpty(), errors);
        return dir.resolve("classes");
    }

    /** Compiles a one-class module against {@link #modulePath()}; returns the errors, "" when it compiled. */
    private static String compileErrors(Path dir, String moduleInfo, String file, String source) throws IOException {
        Path sources = dir.resolve("src");
        Files.createDirectories(sources.resolve(file).getParent());
        Files.writeString(sources.resolve("module-info.java"), moduleInfo, StandardCharsets.UTF_8);
        Files.writeString(sources.resolve(file), source, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(dir.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(
                    sources.resolve("module-info.java"), sources.resolve(file));
            // An empty class path: by default javac would look on this test's, where wsnetty is unnamed and open.
            javac.getTask(null, files, diagnostics, List.of("--module-path", modulePath(), "--class-path",
                    classes.toString(), "-d", classes.toString()), null, units).call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null))
                .collect(Collectors.joining("\n"));
    }
}
