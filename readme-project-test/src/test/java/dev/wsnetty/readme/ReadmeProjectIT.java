package dev.wsnetty.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new user does with the README alone: a new Maven project made of its coordinates block and its five-minute
 * server and client, built by Maven offline against the artifacts installed into a local repository of their own
 * (the invoker plugin's install goal, before this test; everything else comes from the build's own local
 * repository, read-only), then run: the client gets its echo from the server, and a client of an unknown path gets
 * 404. The same sources also build with the README's BOM block instead.
 */
class ReadmeProjectIT {
    private static final Path README = Path.of(System.getProperty("wsnetty.readme"));
    private static final long PROCESS_SECONDS = 120;

    @Test
    void theReadmesProjectBuildsAgainstTheInstalledJarsAndItsClientTalksToItsServer(@TempDir Path project)
            throws Exception {
        Map<String, String> blocks = projectBlocks();
        writeProject(project, "<dependencies>\n" + blocks.get("dependencies") + "</dependencies>", blocks);
        Files.copy(resource("TlsFallbackCheck.java"), project.resolve("src/main/java/TlsFallbackCheck.java"));

        maven(project, "compile", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt");
        String dependencies = Files.readString(project.resolve("classpath.txt")).strip();
        Path installed = Path.of(System.getProperty("wsnetty.installed")).toRealPath();
        assertTrue(dependencies.contains(installed.resolve("dev/wsnetty/websocket-netty").toString()),
                "websocket-netty from the installed repository: " + dependencies);
        assertFalse(dependencies.contains("netty-tcnative"), "netty-tcnative is optional: " + dependencies);
        String classPath = project.resolve("target/classes") + File.pathSeparator + dependencies;

        Process server = java(classPath, "EchoServer", "0").redirectError(project.resolve("server.err").toFile()).start();
        try {
            String url = "ws://127.0.0.1:" + listeningPort(server);
            Run echo = run(project, classPath, "EchoClient", url + "/echo");
            assertEquals(List.of(0, "Answer: hello\n"), List.of(echo.exitStatus(), echo.stdout()), echo.toString());
            Run refused = run(project, classPath, "EchoClient", url + "/nothere");
            assertEquals(1, refused.exitStatus(), refused.toString());
            assertTrue(refused.stderr().lines().anyMatch(line -> line.startsWith("Cannot connect: ")
                    && line.contains("404")), refused.toString());
        } finally {
            server.destroy(); // SIGTERM: the README's shutdown hook stops it
            if (!server.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        Run tls = run(project, classPath, "TlsFallbackCheck");
        assertEquals(List.of(0, "wss echo over JDK: hello\n"), List.of(tls.exitStatus(), tls.stdout()), tls.toString());
    }

    @Test
    void theReadmesBomBlockAlignsTheVersions(@TempDir Path project) throws Exception {
        Map<String, String> blocks = projectBlocks();
        writeProject(project, blocks.get("bom"), blocks);
        maven(project, "compile");
        assertTrue(Files.isRegularFile(project.resolve("target/classes/EchoClient.class")));
    }

    /** The project: the pom template with {@code pomPart} in it, and the README's source files. */
    private static void writeProject(Path project, String pomPart, Map<String, String> blocks) throws IOException {
        String pom;
        try (InputStream template = Files.newInputStream(resource("pom.xml"))) {
            pom = new String(template.readAllBytes(), StandardCharsets.UTF_8);
        }
        pom = pom.replace("@README_POM_PART@", pomPart.indent(2))
                .replace("@COMPILER_PLUGIN_VERSION@", System.getProperty("wsnetty.compilerPluginVersion"))
                .replace("@DEPENDENCY_PLUGIN_VERSION@", System.getProperty("wsnetty.dependencyPluginVersion"));
        Files.writeString(project.resolve("pom.xml"), pom);
        int sources = 0;
        for (Map.Entry<String, String> block : blocks.entrySet()) {
            if (block.getKey().startsWith("src/")) {
                Path file = project.resolve(block.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, block.getValue());
                sources++;
            }
        }
        assertEquals(2, sources, "the README's files: " + blocks.keySet());
    }

    /** Runs the build's own Maven, offline, in {@code project}; fails the test with its output if it fails. */
    private static void maven(Path project, String... goals) throws Exception {
        Path mvn = Path.of(System.getProperty("wsnetty.maven.home"), "bin",
                System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-q", "-o",
                "-Dmaven.repo.local=" + System.getProperty("wsnetty.installed"),
                "-Dmaven.repo.local.tail=" + System.getProperty("wsnetty.userRepository")));
        command.addAll(List.of(goals));
        Path log = project.resolve("maven.log");
        Process maven = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!maven.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)) {
            maven.destroyForcibly();
            throw new AssertionError("Maven did not end within " + PROCESS_SECONDS + " s: " + Files.readString(log));
        }
        assertEquals(0, maven.exitValue(), () -> String.join(" ", command) + " failed:\n" + readQuietly(log));
    }

    /** The port from the server's first line, "Listening on ws://localhost:PORT/echo". */
    private static String listeningPort(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String banner = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(PROCESS_SECONDS, TimeUnit.SECONDS);
        Matcher listening = Pattern.compile("Listening on ws://localhost:(\\d+)/echo").matcher(String.valueOf(banner));
        assertTrue(listening.matches(), "the server's first line: " + banner);
        return listening.group(1);
    }

    /** A JVM's exit status and what it printed (the library's log lines go to stderr). */
    private record Run(int exitStatus, String stdout, String stderr) {
    }

    private static Run run(Path project, String classPath, String mainClass, String... args) throws Exception {
        Path stdout = Files.createTempFile(project, mainClass, ".out");
        Path stderr = Files.createTempFile(project, mainClass, ".err");
        Process process = java(classPath, mainClass, args).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
        if (!process.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(mainClass + " did not end within " + PROCESS_SECONDS + " s: "
                    + Files.readString(stdout) + Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static ProcessBuilder java(String classPath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * The README's blocks that make a new user's project, each after a {@code <!-- project: NAME -->} line: a
     * file's path in the project, or {@code dependencies} and {@code bom} for the pom's parts.
     */
    private static Map<String, String> projectBlocks() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8).replace("\r\n", "\n");
        Matcher block = Pattern.compile("<!-- project: ([\\w/.-]+) -->\\n```[a-z]+\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        Map<String, String> blocks = new LinkedHashMap<>();
        while (block.find()) {
            blocks.put(block.group(1), block.group(2));
        }
        assertTrue(blocks.keySet().containsAll(List.of("dependencies", "bom")), "README blocks: " + blocks.keySet());
        return blocks;
    }

    private static Path resource(String name) {
        return Path.of("src/test/resources/new-user-project", name);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
