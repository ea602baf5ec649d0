/**
 * wsnetty's user-facing API, without Netty: {@link dev.wsnetty.Communicator}, {@link dev.wsnetty.WebSocketHandler},
 * messages, close codes, the wire constants of {@link dev.wsnetty.WebSocketProtocol}; and, for transports,
 * {@link dev.wsnetty.spi.QueuedCommunicator}. {@code dev.wsnetty.internal} (shared executors, virtual threads) is
 * for wsnetty's own modules only.
 */
module dev.wsnetty {
    exports dev.wsnetty;
    exports dev.wsnetty.spi;
    exports dev.wsnetty.internal to dev.wsnetty.netty;

    // Where the logs go: websocket-netty provides Netty's InternalLoggerFactory, else System.Logger.
    uses dev.wsnetty.internal.LogBackend;
}
