package dev.wsnetty;

import java.io.OutputStream;

/**
 * The stream {@link Communicator#writeMessage(MessageType, int)} returns: one message, finished by
 * {@link #close()}. Its methods throw no {@link java.io.IOException}; failures are unchecked
 * {@link WebSocketException}s ({@link WebSocketClosedException} once the connection is closing,
 * {@link WebSocketTimeoutException} when the peer stopped reading), so it can be used with try-with-resources
 * without a catch. Not thread-safe: one thread writes at a time (it may be handed from one thread to another).
 */
public abstract class MessageOutputStream extends OutputStream {
    /** For the implementations of the transport layer. */
    protected MessageOutputStream() {
    }

    /** The type of the message being written. */
    public abstract MessageType messageType();

    /**
     * Adds one byte to the message.
     *
     * @throws IllegalStateException if the stream is closed
     */
    @Override
    public abstract void write(int b);

    /**
     * Adds {@code len} bytes to the message.
     *
     * @throws IllegalStateException if the stream is closed
     */
    @Override
    public abstract void write(byte[] b, int off, int len);

    /** Adds all of {@code b} to the message. */
    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** Sends nothing: fragment boundaries follow the frame buffer (see {@link Communicator#writeMessage}). */
    @Override
    public abstract void flush();

    /** Finishes the message (sends its last frame); calling it again does nothing. */
    @Override
    public abstract void close();
}
