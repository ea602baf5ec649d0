package dev.wsnetty.examples;

/** A command line the examples cannot run: the message says what is wrong, the usage text says what is right. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A usage error.
     *
     * @param message what is wrong, e.g. {@code --port needs a number from 0 to 65535, got "80a"}
     */
    public UsageException(String message) {
        super(message);
    }
}
