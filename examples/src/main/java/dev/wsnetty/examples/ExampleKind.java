package dev.wsnetty.examples;

import java.util.Locale;

/** The examples the jar runs, by their command-line name. */
public enum ExampleKind {
    /** {@link BroadcastServer}: relays every message to everyone connected. */
    BROADCAST_SERVER("broadcast-server", true,
            "relays every message to everyone connected; serves the chat page"),
    /** {@link ChatServer}: prints what clients send, sends what is typed. */
    CHAT_SERVER("chat-server", true,
            "prints what its clients send and sends them what you type; serves the chat page"),
    /** {@link ChatClient}: sends what is typed, prints what arrives. */
    CHAT_CLIENT("chat-client", false,
            "connects to a server, sends what you type ('ping <text>' pings, 'exit' closes)");

    private final String commandName;
    private final boolean server;
    private final String summary;

    ExampleKind(String commandName, boolean server, String summary) {
        this.commandName = commandName;
        this.server = server;
        this.summary = summary;
    }

    /** The name on the command line, e.g. {@code broadcast-server}. */
    public String commandName() {
        return commandName;
    }

    /** Whether the example listens (true) or connects (false). */
    public boolean isServer() {
        return server;
    }

    /** One line saying what the example does, for the usage text. */
    public String summary() {
        return summary;
    }

    /**
     * The example called {@code name} on the command line.
     *
     * @throws UsageException if there is none of that name
     */
    public static ExampleKind byCommandName(String name) throws UsageException {
        for (ExampleKind kind : values()) {
            if (kind.commandName.equals(name.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new UsageException("unknown example \"" + name + "\"");
    }
}
