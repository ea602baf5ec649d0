package dev.wsnetty.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link LoadGenerator} does: where it connects, how many connections, what it sends, for how long.
 *
 * @param host server host (loopback)
 * @param port server port
 * @param path request path of the upgrade
 * @param connections number of WebSocket connections
 * @param size payload bytes per message
 * @param inflight messages kept in flight per connection
 * @param warmup how long to run before measuring
 * @param duration how long to measure
 * @param text whether messages are text (JSON-like ASCII) rather than binary
 * @param threads client event loop threads
 * @param tls whether to speak TLS (wss)
 * @param trust with TLS: a PEM file of the certificate(s) to trust, host name checked; null to trust any
 *              certificate unchecked (a benchmark on loopback only)
 * @param handshakes the handshake benchmark instead of echo: {@code connections} new connections in flight, each
 *                   upgraded and closed ({@link HandshakeLoad}); size, inflight, text and TLS are not used
 * @param sources with {@code handshakes} or {@code fanout}: connect from 127.0.0.1 .. 127.0.0.{@code sources}; 1
 *                leaves the source address to the system
 * @param fanout the fan-out benchmark instead of echo: {@code connections} subscribers and one publisher that keeps
 *               {@code inflight} messages of {@code size} bytes (at least 16: sequence number and send time) not yet
 *               delivered to every subscriber ({@link FanoutLoad}); binary, plain ws only
 * @param subscriberPorts with {@code fanout}: the ports the subscribers connect to, in turn (subscriber i to
 *                        {@code subscriberPorts[i % size]}), e.g. the nodes of a cluster; empty for {@code port}
 * @param deflate echo runs: offer permessage-deflate as browsers do and, where the server agrees, send every message
 *                compressed (each on its own) and inflate and check every echo; text is then varied JSON records
 *                ({@code Payloads.textCorpus("json", size)}), binary stays incompressible
 */
public record LoadOptions(String host, int port, String path, int connections, int size, int inflight,
                          Duration warmup, Duration duration, boolean text, int threads, boolean tls, Path trust,
                          boolean handshakes, int sources, boolean fanout, List<Integer> subscriberPorts,
                          boolean deflate) {
    /** The usage text. */
    public static final String USAGE = String.join("\n",
            "usage: LoadGenerator [options]",
            "  --host H          server host (default 127.0.0.1)",
            "  --port P          server port (default 8080)",
            "  --path /p         upgrade request path (default /)",
            "  --connections N   connections (default 100)",
            "  --size B          payload bytes per message (default 20)",
            "  --inflight K      messages in flight per connection (default 32)",
            "  --duration S      seconds measured (default 10, decimals allowed)",
            "  --warmup S        seconds run before measuring (default 5)",
            "  --text|--binary   message type (default binary)",
            "  --threads T       client event loop threads (default 1)",
            "  --tls             speak TLS (wss), OpenSSL when it loads",
            "  --trust F.pem     with --tls: trust this certificate (host name checked); default: trust any",
            "  --handshakes      handshake benchmark: --connections new connections in flight, each upgraded",
            "                    (101 and accept key checked), Close sent, server's Close and TCP end awaited",
            "  --sources N       with --handshakes or --fanout: connect from 127.0.0.1 .. 127.0.0.N (default 1: any)",
            "  --fanout          fan-out benchmark: --connections subscribers (path /sub) and one publisher (/pub)",
            "                    keeping --inflight binary messages of --size bytes (>= 16) undelivered at most;",
            "                    every byte and every subscriber's order checked",
            "  --subscriber-ports P1,P2,...",
            "                    with --fanout: subscribers connect to these ports in turn (default --port)",
            "  --deflate         echo: offer permessage-deflate (as Chromium does), send compressed where agreed,",
            "                    inflate and check every echo; --text is then varied JSON records");

    /** Checks the values. */
    public LoadOptions {
        subscriberPorts = List.copyOf(subscriberPorts);
        if (connections < 1 || size < 0 || inflight < 1 || threads < 1 || port < 1 || port > 65535) {
            throw new IllegalArgumentException("connections, inflight and threads must be positive, size "
                    + "non-negative, port 1..65535");
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("duration must be positive and warmup not negative");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        if (trust != null && !tls) {
            throw new IllegalArgumentException("--trust needs --tls");
        }
        if (sources < 1 || sources > 254) {
            throw new IllegalArgumentException("sources must be 1..254, was " + sources);
        }
        if (handshakes && tls) {
            throw new IllegalArgumentException("--handshakes is plain ws only");
        }
        if (deflate && (handshakes || fanout)) {
            throw new IllegalArgumentException("--deflate is for echo runs");
        }
        if (fanout && (tls || text || handshakes || size < FanoutLoad.STAMP_BYTES)) {
            throw new IllegalArgumentException("--fanout is binary, plain ws, without --handshakes, and needs --size "
                    + ">= " + FanoutLoad.STAMP_BYTES + " (sequence number and send time)");
        }
    }

    /** Options without permessage-deflate. */
    public LoadOptions(String host, int port, String path, int connections, int size, int inflight,
                       Duration warmup, Duration duration, boolean text, int threads, boolean tls, Path trust,
                       boolean handshakes, int sources, boolean fanout, List<Integer> subscriberPorts) {
        this(host, port, path, connections, size, inflight, warmup, duration, text, threads, tls, trust, handshakes,
                sources, fanout, subscriberPorts, false);
    }

    /** Options for an echo run, plain or TLS. */
    public LoadOptions(String host, int port, String path, int connections, int size, int inflight,
                       Duration warmup, Duration duration, boolean text, int threads, boolean tls, Path trust) {
        this(host, port, path, connections, size, inflight, warmup, duration, text, threads, tls, trust, false, 1,
                false, List.of());
    }

    /** Options for a handshake run ({@code --handshakes}): {@code inFlight} connections at a time. */
    public static LoadOptions handshakes(String host, int port, int inFlight, Duration warmup, Duration duration,
                                         int threads, int sources) {
        return new LoadOptions(host, port, "/", inFlight, 0, 1, warmup, duration, false, threads, false, null,
                true, sources, false, List.of());
    }

    /** Options for a plain (ws) run. */
    public LoadOptions(String host, int port, String path, int connections, int size, int inflight,
                       Duration warmup, Duration duration, boolean text, int threads) {
        this(host, port, path, connections, size, inflight, warmup, duration, text, threads, false, null);
    }

    /** Parses command-line options; unknown options are an error. */
    public static LoadOptions parse(String[] args) {
        String host = "127.0.0.1";
        int port = 8080;
        String path = "/";
        int connections = 100;
        int size = 20;
        int inflight = 32;
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(5);
        boolean text = false;
        int threads = 1;
        boolean tls = false;
        Path trust = null;
        boolean handshakes = false;
        boolean fanout = false;
        boolean deflate = false;
        int sources = 1;
        List<Integer> subscriberPorts = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--text":
                    text = true;
                    continue;
                case "--binary":
                    text = false;
                    continue;
                case "--tls":
                    tls = true;
                    continue;
                case "--handshakes":
                    handshakes = true;
                    continue;
                case "--fanout":
                    fanout = true;
                    continue;
                case "--deflate":
                    deflate = true;
                    continue;
                default:
                    break;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + arg + "\n" + USAGE);
            }
            String value = args[++i];
            switch (arg) {
                case "--host":
                    host = value;
                    break;
                case "--port":
                    port = Integer.parseInt(value);
                    break;
                case "--path":
                    path = value;
                    break;
                case "--connections":
                    connections = Integer.parseInt(value);
                    break;
                case "--size":
                    size = Integer.parseInt(value);
                    break;
                case "--inflight":
                    inflight = Integer.parseInt(value);
                    break;
                case "--duration":
                    duration = seconds(value);
                    break;
                case "--warmup":
                    warmup = seconds(value);
                    break;
                case "--threads":
                    threads = Integer.parseInt(value);
                    break;
                case "--sources":
                    sources = Integer.parseInt(value);
                    break;
                case "--trust":
                    trust = Path.of(value);
                    break;
                case "--subscriber-ports":
                    for (String p : value.split(",")) {
                        subscriberPorts.add(Integer.parseInt(p.trim()));
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        return new LoadOptions(host, port, path, connections, size, inflight, warmup, duration, text, threads, tls,
                trust, handshakes, sources, fanout, subscriberPorts, deflate);
    }

    static Duration seconds(String value) {
        return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1e9));
    }
}
