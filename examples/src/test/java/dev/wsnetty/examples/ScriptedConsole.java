package dev.wsnetty.examples;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A {@link Console} a test types into and reads back from. */
final class ScriptedConsole {
    final ScriptedInput input = new ScriptedInput();
    final CapturedLines out = new CapturedLines("stdout");
    final CapturedLines err = new CapturedLines("stderr");
    final Console console = new Console(new BufferedReader(input), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    /** Types {@code line} and Enter. */
    void type(String line) {
        input.type(line);
    }
}
