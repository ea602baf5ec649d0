package dev.wsnetty.netty.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * python-websockets (Debian's {@code python3-websockets}, 10.4 on the build machines) as a peer: runs a script from
 * the test resources' {@code peers/} with the system Python, whose packages the pyenv Python on the PATH lacks.
 */
public final class PythonWebsockets {
    /** The Python that has the websockets package. */
    public static final String PYTHON = "/usr/bin/python3";

    private PythonWebsockets() {
    }

    /** Null when {@value #PYTHON} can import websockets, else why not (for the skip message). */
    public static String whyUnavailable() throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " is not installed (apt-get install python3-websockets)";
        }
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import websockets").redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return PYTHON + " -c 'import websockets' did not finish in 30 s";
            }
            return probe.exitValue() == 0 ? null
                    : "python3-websockets is not installed (apt-get install python3-websockets): " + output;
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    /**
     * Runs {@code peers/<script>} with {@code args} to its end and returns its standard output's lines.
     *
     * @throws AssertionError if it ran longer than {@code limit} (it is killed) or exited with an error
     */
    public static List<String> run(String script, Duration limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, path(script).toString()));
        command.addAll(List.of(args));
        return PeerProcess.run(command, Map.of(), limit);
    }

    private static Path path(String script) throws URISyntaxException {
        return Path.of(PythonWebsockets.class.getResource("/peers/" + script).toURI());
    }
}
