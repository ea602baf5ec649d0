/**
 * For transport implementers, not for handler code: the {@link dev.wsnetty.spi.Transport} a transport implements
 * per connection, and {@link dev.wsnetty.spi.QueuedCommunicator}, which puts the whole blocking
 * {@link dev.wsnetty.Communicator} API (queue, waits, listener dispatch, write lock, fragmentation, close state)
 * on top of it, so a transport only moves frames.
 */
package dev.wsnetty.spi;
