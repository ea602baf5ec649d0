package dev.wsnetty.netty.tls;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Keys or certificates could not be loaded or do not fit together: a missing or unreadable file, a malformed
 * PEM block or keystore, a wrong password, a private key that does not belong to the certificate. The message
 * names the file and says what is wrong with it.
 */
public class TlsMaterialException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * An exception about {@code file}.
     *
     * @param file    the file at fault, or null when the material did not come from a file
     * @param message what is wrong, starting with the file's name when there is one
     * @param cause   the underlying error, or null
     */
    public TlsMaterialException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file at fault, or null when the material did not come from a file. */
    public Path file() {
        return file;
    }
}
