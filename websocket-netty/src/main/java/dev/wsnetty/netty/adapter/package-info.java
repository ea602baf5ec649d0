/**
 * The blocking {@link dev.wsnetty.Communicator} API on a Netty channel, without blocking the event loop:
 * {@link dev.wsnetty.netty.adapter.NettyCommunicators#attach} puts a message aggregator and a handler that feeds
 * a {@link dev.wsnetty.spi.QueuedCommunicator} at the end of an upgraded pipeline; the communicator's writes go
 * to the channel, waiting while it is not writable; its inbound queue pauses reading when full.
 */
package dev.wsnetty.netty.adapter;
