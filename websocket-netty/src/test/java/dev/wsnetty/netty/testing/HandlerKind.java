package dev.wsnetty.netty.testing;

import dev.wsnetty.Communicator;
import dev.wsnetty.HandlerThreadKind;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketHandler;

import java.util.function.Consumer;

/** The two kinds of handler the original has, each running a test's body as its doHandleCommunication. */
public enum HandlerKind {
    /** A plain {@link WebSocketHandler}: the server calls it on a connection thread. */
    PLAIN {
        @Override
        public WebSocketHandler create(Consumer<Communicator> body) {
            return new WebSocketHandler() {
                @Override
                protected void doHandleCommunication(Communicator communicator) {
                    body.accept(communicator);
                }
            };
        }
    },
    /** A {@link ThreadedWebSocketHandler}: it starts its own thread (virtual on Java 21+) and listener dispatch. */
    THREADED {
        @Override
        public WebSocketHandler create(Consumer<Communicator> body) {
            return new ThreadedWebSocketHandler(HandlerThreadKind.preferred(true)) {
                @Override
                protected void doHandleCommunication(Communicator communicator) {
                    body.accept(communicator);
                }
            };
        }
    };

    /** A handler of this kind whose doHandleCommunication runs {@code body}. */
    public abstract WebSocketHandler create(Consumer<Communicator> body);
}
