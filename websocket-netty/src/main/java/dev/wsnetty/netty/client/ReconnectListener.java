package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;

import java.time.Duration;

/**
 * Told what a {@link ReconnectingClient} does: connected, waiting to try again and why, or stopped and why. Every
 * method has an empty default, so implement only those needed. Called on the client's listener executor (never
 * on an event loop), one call at a time, in the order of the events; an exception thrown here is logged.
 */
public interface ReconnectListener {
    /**
     * A connection is open and the {@link ReconnectHook} has run on it; writes go to it from now on.
     *
     * @param connection  the new connection
     * @param attempts    how many attempts it took since the last connection (or the start), this one included
     * @param connections how many connections there have been, this one included (1 for the first)
     */
    default void onConnected(Communicator connection, int attempts, int connections) {
    }

    /**
     * The connection was lost or an attempt failed, and the next attempt is scheduled.
     *
     * @param reason  what happened
     * @param attempt the number of the attempt scheduled, counted since the last connection from 1
     * @param delay   the wait before it
     */
    default void onReconnectScheduled(Disconnection reason, int attempt, Duration delay) {
    }

    /**
     * The client gave up or was closed: no further attempt is made.
     *
     * @param last     the last thing that happened (the connection's end or a failed attempt); null when the
     *                 application stopped it while connected or before any attempt ended
     * @param why      why it stopped, e.g. "close code 1008 is one the policy stops on"
     * @param attempts attempts made since the last connection
     */
    default void onStopped(Disconnection last, String why, int attempts) {
    }
}
