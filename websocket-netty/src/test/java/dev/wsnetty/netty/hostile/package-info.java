/**
 * The hostile-client suite (issue 14): attacks on a {@link dev.wsnetty.netty.server.WebSocketServer} with the
 * blocking API over loopback sockets, in the default build, each bounded to seconds; the {@code hostile} Maven
 * profile runs the same tests with the larger sizes of {@link dev.wsnetty.netty.testing.Hostile#size}. Every case
 * asserts three things: the answer (an HTTP status with its reason, a close code with its reason, or the TCP-level
 * end where no answer can reach the peer, each test saying which), that a normal client is served while the attack
 * runs ({@link dev.wsnetty.netty.hostile.AttackedServer#assertServed}), and that nothing is left once it is over
 * ({@link dev.wsnetty.netty.hostile.AttackedServer#assertReleased}, with the PARANOID leak detector of
 * {@code LeakCheckExtension}).
 *
 * <table>
 *   <caption>Attack families</caption>
 *   <tr><th>class</th><th>attacks</th></tr>
 *   <tr><td>{@link dev.wsnetty.netty.hostile.HandshakeAttackTest}</td><td>silent connections, slowloris, header
 *       floods, an endless request line, endless request bodies</td></tr>
 *   <tr><td>{@link dev.wsnetty.netty.hostile.FrameAttackTest}</td><td>lying frame lengths (2^63−1, MSB set,
 *       non-minimal), random bytes after and instead of the handshake</td></tr>
 *   <tr><td>{@link dev.wsnetty.netty.hostile.FloodAttackTest}</td><td>endless continuation frames, ping floods
 *       from a client that never reads (also against the frame pipeline), unsolicited pong floods</td></tr>
 *   <tr><td>{@link dev.wsnetty.netty.hostile.SilentAndSlowPeerTest}</td><td>silent after the handshake, slow
 *       readers, peers dribbling after the server's Close</td></tr>
 *   <tr><td>{@link dev.wsnetty.netty.hostile.ResetAndChurnTest}</td><td>a reset halfway through a frame or with
 *       messages queued, connection churn cut at every stage</td></tr>
 * </table>
 *
 * <p>Attacks covered elsewhere, not repeated here: the inbound memory budget under 1 MiB frames held open
 * ({@code server.InboundMemoryBudgetAttackTest}, a child JVM with little memory), thread starvation
 * ({@code server.ThreadStarvationTest}), failed TLS handshakes and their log ({@code tls.TlsLogFloodTest}), the
 * Close that must arrive after an oversized message ({@code interop.OversizeCloseArrivesTest}), frames and messages
 * trickled at 1 KB/s and the exact frame count ({@code wire.ServerUnfinishedInputTest}), the exact handshake
 * timeout and refusals ({@code handshake.HandshakeTimeoutTest}, {@code handshake.HandshakeRefusalTest}), one slow
 * reader and one slow handler ({@code server.FlowControlTest}), connections per address
 * ({@code server.ConnectionsPerAddressTest}).
 */
package dev.wsnetty.netty.hostile;
