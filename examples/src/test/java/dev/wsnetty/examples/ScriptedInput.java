package dev.wsnetty.examples;

import java.io.Reader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A console input typed by a test: each {@link #type} adds a line; {@link #end()} is Ctrl+D. */
final class ScriptedInput extends Reader {
    private static final String END = new String("end of input");

    private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    private String current = "";
    private int position;
    private boolean ended;

    /** Types {@code line} and Enter. */
    void type(String line) {
        chunks.add(line + "\n");
    }

    /** Ends the input, as Ctrl+D or a closed pipe does. */
    void end() {
        chunks.add(END);
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (!ended && position == current.length()) {
            String next;
            try {
                next = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            if (next == END) {
                ended = true;
            } else {
                current = next;
                position = 0;
            }
        }
        if (ended) {
            return -1;
        }
        int n = Math.min(length, current.length() - position);
        current.getChars(position, position + n, buffer, offset);
        position += n;
        return n;
    }

    @Override
    public void close() {
        end();
    }
}
