package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;

/**
 * Runs on every new connection of a {@link ReconnectingClient} before the application's writes go to it: the
 * place to log in, subscribe again or send the state the server must know. Writes through the
 * {@link ReconnectingCommunicator} meanwhile still throw {@link WebSocketReconnectingException}, so nothing
 * overtakes what the hook sends.
 */
@FunctionalInterface
public interface ReconnectHook {
    /**
     * Prepares a new connection. Runs on the client's listener executor and may block (e.g. wait for the server's
     * answer). If it throws, the connection is closed with 1011 and the attempt counts as failed.
     *
     * @param connection  the new connection; write to and read from it directly, but leave its listeners
     *                    ({@code setOnClose}, {@code setOnReceiveMessage}) alone: the client uses them
     * @param connections how many connections there have been, this one included (1 for the first, more for a
     *                    reconnect)
     * @throws Exception anything, to fail the attempt
     */
    void onConnect(Communicator connection, int connections) throws Exception;
}
