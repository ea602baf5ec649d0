package dev.wsnetty.netty.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The process's resource limits, where the operating system tells them (Linux's {@code /proc/self/limits}). */
final class ProcessLimits {
    private static final Path LIMITS = Path.of("/proc/self/limits");

    private ProcessLimits() {
    }

    /**
     * The soft limit on processes (threads count too) of the user running this JVM, {@code ulimit -u}; 0 when
     * unlimited or unknown.
     */
    static long maxProcesses() {
        try {
            List<String> lines = Files.readAllLines(LIMITS);
            for (String line : lines) {
                // "Max processes             4096                 4096                 processes"
                if (line.startsWith("Max processes")) {
                    String soft = line.substring("Max processes".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? 0 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unexpected format: no derived bound.
        }
        return 0;
    }
}
