package dev.wsnetty.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out table: medians, ratios to the baseline, per-CPU figures, and "n/a" where nothing was measured. */
class FanoutReportTest {
    @Test
    void mediansRatiosAndMissingPublishCost() {
        String table = FanoutReport.table(List.of(
                "100x20B\tnetty-fanout\t1\t1000\t10\t20\t0\t500\t400\t900\t50\t40\t90\t50",
                "100x20B\tnetty-fanout\t2\t3000\t30\t40\t0\t700\t600\t990\t70\t60\t99\t50",
                "100x20B\twsnetty-fanout\t1\t8000\t5\t9\t0\t100\t90\t300\t10\t9\t30\t100",
                "100x20B\tnode-ws-fanout\t1\t1000\t7\t8\t1\t-\t-\t-\t-\t-\t-\t100"), "netty-fanout");
        assertTrue(table.contains("| 100x20B | netty-fanout | 2 | 2,000 | 1.00 | 50 | 4,000 | 1.00 | 20 | 30 | 0 | "
                + "600 / 500 / 945 | 60 / 50 / 95 |"), table);
        assertTrue(table.contains("| 100x20B | wsnetty-fanout | 1 | 8,000 | 4.00 | 100 | 8,000 | 2.00 |"), table);
        assertTrue(table.contains("| 100x20B | node-ws-fanout | 1 | 1,000 | 0.50 | 100 | 1,000 | 0.25 | 7 | 8 | 1 | "
                + "n/a | n/a |"), table);
    }
}
