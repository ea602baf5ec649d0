package dev.wsnetty.netty.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * node's {@code ws} package as a peer: node (v20, {@code /usr/bin/node}) runs a script from the test resources'
 * {@code peers/} with {@code NODE_PATH} set to a {@code node_modules} under {@code target/} that the first use
 * fills with {@code npm install ws@}{@value #VERSION} (the npm registry must be reachable then). A missing node or
 * a failed install fails the test, saying why: this peer is not optional.
 */
public final class NodeWs {
    /** The ws version installed (the benchmarks' node server uses the same). */
    public static final String VERSION = "8.18.3";
    private static final Path PREFIX = Path.of("target", "node-ws").toAbsolutePath();
    private static final long INSTALL_MINUTES = 5;

    private NodeWs() {
    }

    /** The environment a node peer runs with: NODE_PATH at the installed ws, installing it on first use. */
    public static synchronized Map<String, String> environment() throws Exception {
        Path modules = PREFIX.resolve("node_modules");
        Path installed = modules.resolve("ws").resolve("package.json");
        if (!Files.exists(installed) || !Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) {
            install();
        }
        return Map.of("NODE_PATH", modules.toString());
    }

    /** The command that runs {@code peers/<script>} with node. */
    public static List<String> command(String script, String... args) throws URISyntaxException {
        Path path = Path.of(NodeWs.class.getResource("/peers/" + script).toURI());
        List<String> command = new ArrayList<>(List.of("node", path.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(PREFIX);
        Path log = PREFIX.resolve("npm-install.log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--prefix", PREFIX.toString(), "--no-save", "--no-audit",
                    "--no-fund", "ws@" + VERSION).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run npm to install ws@" + VERSION + " for the node interop tests "
                    + "(install node and npm: apt-get install nodejs npm): " + e.getMessage(), e);
        }
        if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            throw new AssertionError("npm install ws@" + VERSION + " did not finish in " + INSTALL_MINUTES
                    + " minutes (is the npm registry reachable?); see " + log);
        }
        if (npm.exitValue() != 0) {
            throw new AssertionError("npm install ws@" + VERSION + " into " + PREFIX + " failed with exit code "
                    + npm.exitValue() + " (is the npm registry reachable?): "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
