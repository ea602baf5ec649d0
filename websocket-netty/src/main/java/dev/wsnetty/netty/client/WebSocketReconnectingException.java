package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.WebSocketClosedException;

/**
 * A write to a {@link ReconnectingCommunicator} while it has no connection: the message was not sent, and the
 * client is reconnecting. The message says since when and what comes next ("... is down (closed with code 1006),
 * reconnecting: attempt 2 in 1.6 s"). A {@link WebSocketClosedException}, so code that handles closed connections
 * handles this too; unlike a plain one, writing again later may succeed.
 */
public class WebSocketReconnectingException extends WebSocketClosedException {
    /**
     * An exception for a write during an outage.
     *
     * @param message     what was not sent and the state of reconnecting
     * @param closeStatus how the last connection ended, or null when there was none yet or it is still closing
     */
    public WebSocketReconnectingException(String message, CloseStatus closeStatus) {
        super(message, closeStatus);
    }
}
