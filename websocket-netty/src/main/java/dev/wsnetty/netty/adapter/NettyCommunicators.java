package dev.wsnetty.netty.adapter;

import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

import java.util.Objects;

/**
 * Puts the blocking {@link dev.wsnetty.Communicator} API on an upgraded Netty channel. Call {@link #attach} on the
 * channel's event loop right after the upgrade: from {@code UpgradeEndpoint.upgraded} on a server, from the
 * client handshake's {@code onUpgrade} hook on a client.
 *
 * <p>The pipeline then ends with {@value #AGGREGATOR} (whole messages out of fragments) and {@value #COMMUNICATOR}
 * (messages into the communicator's queue, the end of the connection into its {@code onClose}). The event loop
 * never runs user code and never blocks: it only queues messages, and pauses reading when the queue is full.
 * Handler code runs on its own threads and calls the communicator, whose writes wait for the channel to be
 * writable; they must not be made on the event loop (they fail with {@link IllegalStateException} there).
 */
public final class NettyCommunicators {
    /** Pipeline name of the {@link MessageAggregator} added by {@link #attach}. */
    public static final String AGGREGATOR = "ws-aggregator";
    /** Pipeline name of the handler that feeds the communicator. */
    public static final String COMMUNICATOR = "ws-communicator";

    private NettyCommunicators() {
    }

    /**
     * Attaches a communicator with {@link CommunicatorSettings#DEFAULT} settings.
     *
     * @see #attach(Channel, CommunicatorSettings)
     */
    public static QueuedCommunicator attach(Channel channel) {
        return attach(channel, CommunicatorSettings.DEFAULT);
    }

    /**
     * Adds {@value #AGGREGATOR} and {@value #COMMUNICATOR} at the end of the channel's pipeline, which must
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
    public static QueuedCommunicator attach(Channel channel, CommunicatorSettings settings) {
        return attach(channel, settings, null);
    }

    /**
     * As {@link #attach(Channel, CommunicatorSettings)}, for a connection that agreed on a subprotocol in its
     * opening handshake, which the communicator then reports ({@link dev.wsnetty.Communicator#subprotocol()}).
     *
     * @param channel     an upgraded WebSocket channel
     * @param settings    write timeout, inbound queue limits, listener executor
     * @param subprotocol the agreed subprotocol, or null for none
     * @return the communicator to hand to handler code
     * @throws IllegalStateException if not called on the channel's event loop
     */
    public static QueuedCommunicator attach(Channel channel, CommunicatorSettings settings, String subprotocol) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(settings, "settings");
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("attach must run on the event loop of " + channel
                    + " (e.g. in UpgradeEndpoint.upgraded or the client's onUpgrade hook), not on "
                    + Thread.currentThread().getName());
        }
        ChannelTransport transport = new ChannelTransport(channel, settings.writeTimeout(), subprotocol);
        QueuedCommunicator communicator =
                new QueuedCommunicator(transport, settings.inboundQueueLimits(), settings.listenerExecutor());
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(AGGREGATOR, new MessageAggregator());
        pipeline.addLast(COMMUNICATOR, new CommunicatorHandler(communicator, transport));
        return communicator;
    }
}
