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
 * Turns the results of {@code run-fanout.sh} into a markdown table: per scenario and server, the median over rounds
 * of each figure, the errors summed, and the median delivered messages/s as a ratio to the baseline server's. Input:
 * one line per run, tab-separated: {@code scenario server round msgs_per_s p50_us p99_us errors publish_mean_ns
 * publish_p50_ns publish_p99_ns publish_cpu_mean_ns publish_cpu_p50_ns publish_cpu_p99_ns server_cpu_percent}, the
 * publish figures (wall time, then the publishing thread's CPU time) {@code -} for a server that does not measure
 * its publish call. The server's CPU share inside the measurement window also gives the messages delivered
 * per CPU-second of the server, the figure that holds up when other work takes part of the server's core.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.load.FanoutReport results.tsv [baselineServer]</pre>
 */
public final class FanoutReport {
    private static final int FIELDS = 14;
    private static final int SERVER_CPU = 10;

    private FanoutReport() {
    }

    /** Prints the table for the file {@code args[0]}; {@code args[1]} names the baseline (default netty-fanout). */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: FanoutReport results.tsv [baselineServer]");
            System.exit(2);
        }
        System.out.print(table(Files.readAllLines(Path.of(args[0])), args.length > 1 ? args[1] : "netty-fanout"));
    }

    /** The markdown table for {@code lines} with {@code baseline} as the reference server. */
    public static String table(List<String> lines, String baseline) {
        // scenario -> server -> runs (each run: msgs, p50, p99, errors, publish wall mean, p50, p99, publish CPU mean,
        // p50, p99 (NaN for "-"), server CPU %)
        Map<String, Map<String, List<double[]>>> runs = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != FIELDS) {
                throw new IllegalArgumentException("expected " + FIELDS + " tab-separated fields: " + line);
            }
            double[] values = new double[FIELDS - 3];
            for (int i = 0; i < values.length; i++) {
                values[i] = "-".equals(f[3 + i]) ? Double.NaN : Double.parseDouble(f[3 + i]);
            }
            runs.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(values);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| subscribers × size | server | runs | delivered msg/s | × ").append(baseline)
                .append(" | server CPU % | delivered per server CPU-s | × ").append(baseline)
                .append(" | p50 µs | p99 µs | errors | publish call, wall ns: mean / p50 / p99"
                        + " | publish call, CPU ns: mean / p50 / p99 |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, List<double[]>>> scenario : runs.entrySet()) {
            List<double[]> base = scenario.getValue().get(baseline);
            double baseMsgs = base == null ? Double.NaN : EchoReport.median(base, 0);
            double basePerCpu = base == null ? Double.NaN : median(perCpuSecond(base));
            for (Map.Entry<String, List<double[]>> server : scenario.getValue().entrySet()) {
                List<double[]> r = server.getValue();
                double errors = r.stream().mapToDouble(v -> v[3]).sum();
                double msgs = EchoReport.median(r, 0);
                double perCpu = median(perCpuSecond(r));
                String ratio = Double.isNaN(baseMsgs) ? "n/a" : String.format(Locale.ROOT, "%.2f", msgs / baseMsgs);
                String cpuRatio = Double.isNaN(basePerCpu) ? "n/a"
                        : String.format(Locale.ROOT, "%.2f", perCpu / basePerCpu);
                String wall = threeFigures(r, 4);
                String cpu = threeFigures(r, 7);
                sb.append(String.format(Locale.ROOT,
                        "| %s | %s | %d | %,.0f | %s | %.0f | %,.0f | %s | %,.0f | %,.0f | %.0f | %s | %s |%n",
                        scenario.getKey(), server.getKey(), r.size(), msgs, ratio, EchoReport.median(r, SERVER_CPU),
                        perCpu, cpuRatio, EchoReport.median(r, 1), EchoReport.median(r, 2), errors, wall, cpu));
            }
        }
        return sb.toString();
    }

    /** Each run's delivered messages per CPU-second of the server (NaN when its CPU share was not measured). */
    private static double[] perCpuSecond(List<double[]> runs) {
        return runs.stream().mapToDouble(v -> v[SERVER_CPU] > 0 ? v[0] / (v[SERVER_CPU] / 100) : Double.NaN)
                .toArray();
    }

    /** Medians of the fields {@code from}, +1, +2 as "a / b / c"; "n/a" when not measured. */
    private static String threeFigures(List<double[]> runs, int from) {
        if (Double.isNaN(EchoReport.median(runs, from))) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,.0f / %,.0f / %,.0f", EchoReport.median(runs, from),
                EchoReport.median(runs, from + 1), EchoReport.median(runs, from + 2));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
