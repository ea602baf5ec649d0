package dev.wsnetty.netty.adapter;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.spi.QueuedCommunicator;
import dev.wsnetty.netty.topics.ChannelTopics;
import io.netty.channel.Channel;

import java.util.Objects;

/**
 * Puts the blocking {@link dev.wsnetty.Communicator} API on an upgraded Netty channel. Call {@link #attach} on the
 * channel's event loop right after the upgrade: from {@code WebSocketEndpoint.opened} on a server, from the
 * client handshake's {@code onOpen} hook on a client.
 *
 * <p>The pipeline then ends with {@value WebSocketPipeline#AGGREGATOR} (whole messages out of fragments) and {@value WebSocketPipeline#COMMUNICATOR}
 * (messages into the communicator's queue, the end of the connection into its {@code onClose}). The event loop
 * never runs user code and never blocks: it only queues messages, and pauses reading when the queue is full.
 * Handler code runs on its own threads and calls the communicator, whose writes wait for the channel to be
 * writable; they must not be made on the event loop (they fail with {@link IllegalStateException} there).
 */
public final class NettyCommunicators {
    private NettyCommunicators() {
    }

    /**
     * Attaches a communicator with {@link CommunicatorConfig#DEFAULT} settings.
     *
     * @see #attach(Channel, CommunicatorConfig)
     */
    public static QueuedCommunicator attach(Channel channel) {
        return attach(channel, CommunicatorConfig.DEFAULT);
    }

    /**
     * Adds {@value WebSocketPipeline#AGGREGATOR} and {@value WebSocketPipeline#COMMUNICATOR} at the end of the channel's pipeline, which must
     * already hold the frame decoder, encoder and protocol handler, and returns the connection's communicator.
     * Its {@code unwrap(io.netty.channel.Channel.class)} returns {@code channel}. If the channel is already
     * closed, the communicator reports it closed (1006) at once.
     *
     * @param channel  an upgraded WebSocket channel
     * @param settings write timeout, inbound queue limits, listener executor
     * @return the communicator to hand to handler code
     * @throws IllegalStateException if not called on the channel's event loop (frames could arrive before the
     *                               handlers are in place)
     */
    public static QueuedCommunicator attach(Channel channel, CommunicatorConfig settings) {
        return attach(channel, settings, null);
    }

    /**
     * As {@link #attach(Channel, CommunicatorConfig)}, for a connection that agreed on a subprotocol in its
     * opening handshake, which the communicator then reports ({@link dev.wsnetty.Communicator#subprotocol()}).
     *
     * @param channel     an upgraded WebSocket channel
     * @param settings    write timeout, inbound queue limits, listener executor
     * @param subprotocol the agreed subprotocol, or null for none
     * @return the communicator to hand to handler code
     * @throws IllegalStateException if not called on the channel's event loop
     */
    public static QueuedCommunicator attach(Channel channel, CommunicatorConfig settings, String subprotocol) {
        return attach(channel, settings, subprotocol, null);
    }

    /**
     * As {@link #attach(Channel, CommunicatorConfig, String)}, for a server connection whose communicator offers
     * {@code subscribe}, {@code unsubscribe} and {@code topics()} on {@code topics}.
     *
     * @param channel     an upgraded WebSocket channel
     * @param settings    write timeout, inbound queue limits, listener executor
     * @param subprotocol the agreed subprotocol, or null for none
     * @param topics      the topics the connection may subscribe to, or null for none
     * @return the communicator to hand to handler code
     * @throws IllegalStateException if not called on the channel's event loop
     */
    public static QueuedCommunicator attach(Channel channel, CommunicatorConfig settings, String subprotocol,
                                            ChannelTopics topics) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(settings, "settings");
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("attach must run on the event loop of " + channel
                    + " (e.g. in WebSocketEndpoint.upgraded or the client's onOpen hook), not on "
                    + Thread.currentThread().getName());
        }
        ChannelTransport transport = new ChannelTransport(channel, settings.writeTimeout(), subprotocol, topics);
        // Queued messages count in the connection's inbound memory budget, in the account its decoder keeps, which
        // the transport looks up when the first message is queued.
        QueuedCommunicator communicator = new QueuedCommunicator(transport, settings.inboundQueueLimits(),
                settings.listenerExecutor(), transport);
        WebSocketPipeline.addCommunicator(channel.pipeline(), new CommunicatorHandler(communicator, transport));
        return communicator;
    }
}
