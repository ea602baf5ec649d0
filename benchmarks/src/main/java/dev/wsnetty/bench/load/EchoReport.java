package dev.wsnetty.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the results of {@code run-echo.sh} into a markdown table: per scenario and server, the median
 * over rounds of each figure, the errors summed, and the median throughput as a ratio to the baseline
 * server's. Input: one line per run, tab-separated: {@code scenario server round msgs_per_s mib_per_s
 * p50_us p99_us p999_us errors}.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.load.EchoReport results.tsv [baselineServer] [--handshakes]</pre>
 *
 * With {@code --handshakes} (for {@code run-handshake.sh}) the rate column is handshakes/s and the MiB/s column,
 * always 0 there, is left out.
 */
public final class EchoReport {
    private EchoReport() {
    }

    /**
     * Prints the table for the file {@code args[0]}; {@code args[1]} names the baseline (default netty);
     * {@code args[2]} {@code --handshakes} labels the rate as handshakes.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: EchoReport results.tsv [baselineServer] [--handshakes]");
            System.exit(2);
        }
        boolean handshakes = args.length > 2 && "--handshakes".equals(args[2]);
        System.out.print(table(Files.readAllLines(Path.of(args[0])), args.length > 1 ? args[1] : "netty",
                handshakes));
    }

    /** The markdown table for {@code lines} with {@code baseline} as the reference server. */
    public static String table(List<String> lines, String baseline) {
        return table(lines, baseline, false);
    }

    /**
     * The markdown table for {@code lines} with {@code baseline} as the reference server; with {@code handshakes}
     * the rate is handshakes/s and there is no MiB/s column.
     */
    public static String table(List<String> lines, String baseline, boolean handshakes) {
        // scenario -> server -> runs (each run: msgs, mib, p50, p99, p999, errors)
        Map<String, Map<String, List<double[]>>> runs = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 9) {
                throw new IllegalArgumentException("expected 9 tab-separated fields: " + line);
            }
            double[] values = new double[6];
            for (int i = 0; i < 6; i++) {
                values[i] = Double.parseDouble(f[3 + i]);
            }
            runs.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new ArrayList<>()).add(values);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(handshakes ? "| scenario | server | runs | handshakes/s | p50 µs | p99 µs | p99.9 µs | errors | × "
                : "| scenario | server | runs | msg/s | MiB/s | p50 µs | p99 µs | p99.9 µs | errors | × ")
                .append(baseline).append(" |\n");
        sb.append(handshakes ? "|---|---|---|---|---|---|---|---|---|\n" : "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, List<double[]>>> scenario : runs.entrySet()) {
            List<double[]> base = scenario.getValue().get(baseline);
            double baseMsgs = base == null ? Double.NaN : median(base, 0);
            for (Map.Entry<String, List<double[]>> server : scenario.getValue().entrySet()) {
                List<double[]> r = server.getValue();
                double errors = r.stream().mapToDouble(v -> v[5]).sum();
                String ratio = Double.isNaN(baseMsgs) ? "n/a" : String.format(Locale.ROOT, "%.2f", median(r, 0) / baseMsgs);
                if (handshakes) {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.0f | %.0f | %.0f | %.0f | %s |%n",
                            scenario.getKey(), server.getKey(), r.size(), median(r, 0), median(r, 2), median(r, 3),
                            median(r, 4), errors, ratio));
                } else {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.1f | %.0f | %.0f | %.0f | %.0f | %s |%n",
                            scenario.getKey(), server.getKey(), r.size(), median(r, 0), median(r, 1), median(r, 2),
                            median(r, 3), median(r, 4), errors, ratio));
                }
            }
        }
        return sb.toString();
    }

    static double median(List<double[]> runs, int field) {
        double[] v = runs.stream().mapToDouble(r -> r[field]).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
