package dev.wsnetty.netty.protocol;

/**
 * A user event the {@link ProtocolHandler} fires inbound just before it sends a Close frame of its own making
 * (failing the connection, the idle timeout, {@code channel.close()}): the last moment at which data frames may
 * still be written. A handler behind it that queues frames written on other threads writes them now, so that they
 * go out before the Close, and refuses every later one; nothing a writer was told was sent is dropped behind the
 * Close. Not fired for a Close the application writes itself (that one follows its own earlier writes anyway) or
 * after the peer's Close (which is passed on first, with the same effect).
 */
public final class CloseComingEvent {
    /** The one instance: the event carries nothing. */
    public static final CloseComingEvent INSTANCE = new CloseComingEvent();

    private CloseComingEvent() {
    }

    /** For logs. */
    @Override
    public String toString() {
        return "CloseComingEvent";
    }
}
