package dev.wsnetty.netty.server;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.TimeUnit;

/** The end of the child JVMs that scale and soak tests drive through their standard input. */
final class ChildJvms {
    private ChildJvms() {
    }

    /** Ends the child's input (its signal to finish), waits for it at most 30 s, then kills it. */
    static void stop(Process process, Writer commands) throws InterruptedException {
        try {
            commands.close();
        } catch (IOException e) {
            // The process is gone already.
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
