package dev.wsnetty.netty.server;

import dev.wsnetty.netty.testing.HandlerKind;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server for {@link AcceptFailureTest} in a JVM of its own, driven through stdin: {@code fill} uses up every file
 * descriptor but {@value #SPARE}, so that accepting soon fails with "Too many open files"; {@code free} gives them
 * back. Prints "PORT n" once listening, "FILLED" and "FREED" when done. Arguments: the accept back-off and the log
 * interval, in milliseconds.
 */
public final class AcceptLimitChildServer {
    /** Descriptors left free by {@code fill}. */
    static final int SPARE = 4;

    private AcceptLimitChildServer() {
    }

    /** Runs the server until stdin ends. */
    public static void main(String[] args) throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setServerConfig(ServerConfig.builder()
                .acceptBackoff(Duration.ofMillis(Long.parseLong(args[0])))
                .logInterval(Duration.ofMillis(Long.parseLong(args[1])))
                .build());
        server.registerHandler("*", "*", HandlerKind.PLAIN.create(c -> c.awaitClose()), true, true);
        server.bind();
        System.out.println("PORT " + server.port());
        List<FileInputStream> filler = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null) {
            if (command.equals("fill")) {
                // Classes load from class directories by opening a file each, and the first log line reads the
                // time zone data: do both while files can still be opened.
                loadClassDirectories();
                System.getLogger(AcceptLimitChildServer.class.getName()).log(System.Logger.Level.INFO, "filling");
                try {
                    while (true) {
                        filler.add(new FileInputStream("/dev/null"));
                    }
                } catch (IOException outOfDescriptors) {
                    for (int i = 0; i < SPARE; i++) {
                        filler.remove(filler.size() - 1).close();
                    }
                }
                System.out.println("FILLED");
            } else if (command.equals("free")) {
                for (FileInputStream f : filler) {
                    f.close();
                }
                filler.clear();
                System.out.println("FREED");
            }
        }
        server.stop();
    }

    private static void loadClassDirectories() throws IOException, URISyntaxException {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path root = Path.of(entry);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = root.relativize(file).toString();
                    if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                        try {
                            Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                                    AcceptLimitChildServer.class.getClassLoader());
                        } catch (Throwable unloadable) {
                            // a class whose dependencies are not on this path: not needed here
                        }
                    }
                }
            }
        }
    }
}
