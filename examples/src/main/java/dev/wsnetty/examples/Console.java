package dev.wsnetty.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Where an example reads its commands and writes its transcript: the process's stdin and stdout, or, in tests,
 * a scripted input and a captured output. Lines written to {@link #out()} by several threads never mix, because
 * {@link PrintStream#println(String)} is synchronized.
 *
 * @param in  the commands, one a line
 * @param out the transcript: connections, messages, closes
 * @param err problems the user should see: usage errors, failures to connect or bind
 */
public record Console(BufferedReader in, PrintStream out, PrintStream err) {
    /** Checks that all three are given. */
    public Console {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The process's console, read in the terminal's charset (so that "héllo wörld" arrives as typed). */
    public static Console system() {
        java.io.Console terminal = System.console();
        Charset charset = terminal != null ? terminal.charset() : Charset.defaultCharset();
        return new Console(new BufferedReader(new InputStreamReader(System.in, charset)), System.out, System.err);
    }

    /**
     * The next command line, blocking until one is typed.
     *
     * @return the line without its terminator, or null at the end of the input
     */
    public String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console", e);
        }
    }

    /** Writes one line of the transcript. */
    public void println(String line) {
        out.println(line);
    }
}
