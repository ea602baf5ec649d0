package dev.wsnetty.netty.adapter;

import dev.wsnetty.internal.SharedExecutors;
import dev.wsnetty.spi.InboundQueueLimits;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How {@link NettyCommunicators#attach} sets up a connection's communicator. Immutable; build one with
 * {@link #builder()} or use {@link #DEFAULT}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code writeTimeout}</td><td>30 s</td><td>how long a blocking write waits for an unwritable connection
 *       (a peer that does not read) before it fails with {@link dev.wsnetty.WebSocketTimeoutException}</td></tr>
 *   <tr><td>{@code inboundQueueLimits}</td><td>{@link InboundQueueLimits#DEFAULT}</td><td>when reading from the
 *       socket pauses because the handler does not take its messages</td></tr>
 *   <tr><td>{@code listenerExecutor}</td><td>{@link SharedExecutors#listenerExecutor()}</td><td>where the
 *       {@code onReceiveMessage} and {@code onClose} listeners run (one call at a time per connection); it must
 *       not be a Netty event loop, since listeners may block</td></tr>
 * </table>
 */
public final class CommunicatorConfig {
    /** The defaults listed in the class description. */
    public static final CommunicatorConfig DEFAULT = builder().build();

    private final Duration writeTimeout;
    private final InboundQueueLimits inboundQueueLimits;
    private final Executor listenerExecutor;

    private CommunicatorConfig(Builder b) {
        this.writeTimeout = b.writeTimeout;
        this.inboundQueueLimits = b.inboundQueueLimits;
        this.listenerExecutor = b.listenerExecutor;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder()
                .writeTimeout(writeTimeout)
                .inboundQueueLimits(inboundQueueLimits)
                .listenerExecutor(listenerExecutor);
    }

    /** How long a blocking write waits while the connection is not writable. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** When reading pauses and resumes because of the inbound queue. */
    public InboundQueueLimits inboundQueueLimits() {
        return inboundQueueLimits;
    }

    /** The shared executor behind each connection's serial listener calls. */
    public Executor listenerExecutor() {
        return listenerExecutor;
    }

    /** Builds {@link CommunicatorConfig}. */
    public static final class Builder {
        private Duration writeTimeout = Duration.ofSeconds(30);
        private InboundQueueLimits inboundQueueLimits = InboundQueueLimits.DEFAULT;
        private Executor listenerExecutor = SharedExecutors.listenerExecutor();

        private Builder() {
        }

        /**
         * Sets how long a blocking write waits for an unwritable connection (default 30 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder writeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("writeTimeout must be positive, was " + timeout);
            }
            this.writeTimeout = timeout;
            return this;
        }

        /**
         * Sets when reading pauses and resumes (default {@link InboundQueueLimits#DEFAULT}).
         *
         * @param limits the marks
         * @return this builder
         */
        public Builder inboundQueueLimits(InboundQueueLimits limits) {
            this.inboundQueueLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets the executor the listeners run on (default {@link SharedExecutors#listenerExecutor()}).
         *
         * @param executor a shared executor; never a Netty event loop
         * @return this builder
         */
        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The settings. */
        public CommunicatorConfig build() {
            return new CommunicatorConfig(this);
        }
    }
}
