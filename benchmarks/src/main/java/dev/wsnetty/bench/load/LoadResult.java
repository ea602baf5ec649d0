package dev.wsnetty.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of one load run.
 *
 * @param transport epoll or nio
 * @param options what was run
 * @param connected connections whose handshake succeeded
 * @param messages echoes (handshake runs: handshakes) completed inside the measurement window
 * @param seconds length of the measurement window
 * @param latencies round-trip times (ns) of those echoes (handshake runs: connect to TCP end)
 * @param errors connections that failed (refused or broken handshake, wrong echo, unexpected close,
 *               messages unanswered at the end)
 * @param errorSamples the first few failure reasons
 * @param published fan-out runs: messages the publisher sent in all (warm-up and drain included); 0 otherwise
 */
public record LoadResult(String transport, LoadOptions options, int connected, long messages, double seconds,
                         LatencyHistogram latencies, int errors, List<String> errorSamples, long published) {

    /** The result of an echo or handshake run. */
    public LoadResult(String transport, LoadOptions options, int connected, long messages, double seconds,
                      LatencyHistogram latencies, int errors, List<String> errorSamples) {
        this(transport, options, connected, messages, seconds, latencies, errors, errorSamples, 0);
    }

    /** Echoed messages per second. */
    public double messagesPerSecond() {
        return messages / seconds;
    }

    /** Echoed payload MiB per second (one direction). */
    public double mebibytesPerSecond() {
        return messages * (double) options.size() / seconds / (1024 * 1024);
    }

    /** A human-readable report. */
    public String report() {
        if (options.handshakes()) {
            return handshakeReport();
        }
        if (options.fanout()) {
            return fanoutReport();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "transport %s, %d/%d connections, %d B %s messages, %d in flight each, "
                        + "%.1f s measured%n", transport, connected, options.connections(), options.size(),
                options.text() ? "text" : "binary", options.inflight(), seconds));
        sb.append(String.format(Locale.ROOT, "  %,.0f msg/s, %.2f MiB/s (echoed payload), %d messages%n",
                messagesPerSecond(), mebibytesPerSecond(), messages));
        sb.append(String.format(Locale.ROOT, "  latency us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  mean %.1f%n",
                micros(latencies.percentile(50)), micros(latencies.percentile(99)),
                micros(latencies.percentile(99.9)), micros(latencies.max()), latencies.mean() / 1000));
        sb.append(String.format(Locale.ROOT, "  errors: %d%n", errors));
        for (String sample : errorSamples) {
            sb.append("    ").append(sample).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private String fanoutReport() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "transport %s, fan-out: %d/%d subscribers, one publisher, %d B binary "
                        + "messages, at most %d not yet delivered to all, %.1f s measured%n", transport, connected,
                options.connections(), options.size(), options.inflight(), seconds));
        sb.append(String.format(Locale.ROOT, "  %,.0f delivered msg/s (all subscribers), %,.0f published msg/s, "
                        + "%.2f MiB/s delivered payload; %d deliveries measured, %d messages published in all%n",
                messagesPerSecond(), messagesPerSecond() / options.connections(), mebibytesPerSecond(), messages,
                published));
        sb.append(String.format(Locale.ROOT, "  publish to delivery, us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  "
                        + "mean %.1f%n", micros(latencies.percentile(50)), micros(latencies.percentile(99)),
                micros(latencies.percentile(99.9)), micros(latencies.max()), latencies.mean() / 1000));
        sb.append(String.format(Locale.ROOT, "  errors: %d%n", errors));
        for (String sample : errorSamples) {
            sb.append("    ").append(sample).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private String handshakeReport() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "transport %s, handshakes (connect, upgrade, close), %d in flight, "
                + "%d source address(es), %.1f s measured%n", transport, options.connections(), options.sources(),
                seconds));
        sb.append(String.format(Locale.ROOT, "  %,.0f handshakes/s, %d handshakes%n", messagesPerSecond(), messages));
        sb.append(String.format(Locale.ROOT, "  connect to TCP end, us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                micros(latencies.percentile(50)), micros(latencies.percentile(99)),
                micros(latencies.percentile(99.9)), micros(latencies.max())));
        sb.append(String.format(Locale.ROOT, "  errors: %d%n", errors));
        for (String sample : errorSamples) {
            sb.append("    ").append(sample).append(System.lineSeparator());
        }
        return sb.toString();
    }

    /**
     * One line of {@code key=value} pairs for scripts, starting with {@code RESULT}; a handshake run's rate is
     * {@code handshakes_per_s}.
     */
    public String resultLine() {
        if (options.handshakes()) {
            return String.format(Locale.ROOT,
                    "RESULT handshakes_per_s=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%d "
                            + "handshakes=%d", messagesPerSecond(), micros(latencies.percentile(50)),
                    micros(latencies.percentile(99)), micros(latencies.percentile(99.9)), micros(latencies.max()),
                    errors, messages);
        }
        return String.format(Locale.ROOT,
                "RESULT msgs_per_s=%.1f mib_per_s=%.3f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
                        + "errors=%d messages=%d connected=%d%s",
                messagesPerSecond(), mebibytesPerSecond(), micros(latencies.percentile(50)),
                micros(latencies.percentile(99)), micros(latencies.percentile(99.9)), micros(latencies.max()),
                errors, messages, connected, options.fanout() ? " published=" + published : "");
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
