package dev.wsnetty.examples;

import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The examples jar's entry point:
 * {@code java -jar wsnetty-examples.jar <broadcast-server|chat-server|chat-client> [options]}; {@code --help}
 * lists the options.
 */
public final class Examples {
    /** The java.util.logging property of the line format. */
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private Examples() {
    }

    /**
     * Runs the example named by the first argument on the process's console and exits with its status: 0 when it
     * ended normally, 1 when it could not do its job, 2 for a bad command line. Ctrl+C stops it cleanly.
     *
     * @param args the example's name, then its options
     */
    public static void main(String[] args) {
        // One line per log record (java.util.logging's default takes two), unless the user chose a format.
        if (System.getProperty(LOG_FORMAT) == null && System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty(LOG_FORMAT, "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(run(Console.system(), true, args));
    }

    /**
     * Runs the example named by {@code args[0]} on {@code console}.
     *
     * @param console          where it reads commands and writes its transcript
     * @param stopOnJvmShutdown whether Ctrl+C (JVM shutdown) stops the example cleanly first
     * @param args             the example's name, then its options
     * @return the exit status: 0 normal end, 1 the example could not do its job, 2 bad command line
     */
    static int run(Console console, boolean stopOnJvmShutdown, String... args) {
        if (args.length == 0) {
            console.err().println("Which example? " + usage());
            return 2;
        }
        if (args[0].equals("--help") || args[0].equals("-h")) {
            console.out().println(usage());
            return 0;
        }
        ExampleOptions options;
        try {
            ExampleKind kind = ExampleKind.byCommandName(args[0]);
            options = ExampleOptions.parse(kind, Arrays.copyOfRange(args, 1, args.length));
        } catch (UsageException e) {
            console.err().println("Error: " + e.getMessage() + System.lineSeparator() + usage());
            return 2;
        }
        if (options.help()) {
            console.out().println(usage());
            return 0;
        }
        ConsoleExample example;
        try {
            example = create(options, console);
        } catch (UncheckedIOException e) {
            console.err().println("Error: " + e.getMessage());
            return 1;
        }
        Runnable undo = stopOnJvmShutdown ? example.stopOnJvmShutdown() : () -> { };
        try {
            return example.run();
        } finally {
            undo.run();
        }
    }

    /** The example {@code options} are for, ready to run on {@code console}. */
    static ConsoleExample create(ExampleOptions options, Console console) {
        switch (options.kind()) {
            case BROADCAST_SERVER:
                return new BroadcastServer(options, console);
            case CHAT_SERVER:
                return new ChatServer(options, console);
            case CHAT_CLIENT:
                return new ChatClient(options, console);
            default:
                throw new IllegalArgumentException("no example " + options.kind());
        }
    }

    /** The usage text: the examples, the options and their defaults. */
    static String usage() {
        StringBuilder text = new StringBuilder()
                .append("Usage: java -jar wsnetty-examples.jar <example> [options]\n\nExamples:\n");
        for (ExampleKind kind : ExampleKind.values()) {
            text.append(String.format("  %-18s%s\n", kind.commandName(), kind.summary()));
        }
        return text.append("\nOptions:\n")
                .append("  --host HOST   servers: the address to listen on (default 0.0.0.0, every interface;\n")
                .append("                127.0.0.1 keeps the chat on this machine)\n")
                .append("                chat-client: the server's host (default 127.0.0.1)\n")
                .append("  --port PORT   the port (default 8080; servers: 0 picks a free one)\n")
                .append("  --url URL     chat-client: the server's ws:// or wss:// URL (default ws://HOST:PORT/)\n")
                .append("  --tls         TLS: the servers serve https:// and wss:// with a self-signed certificate\n")
                .append("                for localhost (written to a file they name); chat-client uses wss://\n")
                .append("  --cert FILE   servers: TLS with this PEM certificate chain (needs --key)\n")
                .append("  --key FILE    servers: the PEM private key (PKCS#8) of --cert\n")
                .append("  --trust FILE  chat-client: trust the PEM certificates in FILE (e.g. the self-signed one)\n")
                .append("                instead of the system's\n")
                .append("  --redis URI   broadcast-server: join the servers sharing this Redis (redis://HOST:PORT,\n")
                .append("                redis://:PASSWORD@HOST:PORT, rediss:// for TLS): one chat across them\n")
                .append("  --help, -h    this text\n")
                .append("\nThe servers serve the browser chat page at http://localhost:PORT/ and WebSockets on\n")
                .append("the same port. broadcast-server reads the commands 'send <text>' and 'exit';\n")
                .append("chat-server sends every line you type to every client. Ctrl+C stops any of them.")
                .toString();
    }
}
