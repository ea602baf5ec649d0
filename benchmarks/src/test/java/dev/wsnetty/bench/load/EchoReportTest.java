package dev.wsnetty.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EchoReportTest {
    @Test
    void mediansAndRatiosPerScenario() {
        List<String> lines = List.of(
                "small\tnetty\t1\t100000\t1.9\t300\t900\t1500\t0",
                "small\twsnetty\t1\t160000\t3.0\t200\t700\t1000\t0",
                "small\tnetty\t2\t120000\t2.3\t310\t910\t1510\t0",
                "small\twsnetty\t2\t150000\t2.9\t210\t710\t1010\t1",
                "small\tnetty\t3\t90000\t1.7\t320\t920\t1520\t0",
                "small\twsnetty\t3\t170000\t3.2\t220\t720\t1020\t0");
        String[] rows = EchoReport.table(lines, "netty").split("\n");
        assertEquals(4, rows.length);
        assertEquals("| small | netty | 3 | 100,000 | 1.9 | 310 | 910 | 1510 | 0 | 1.00 |", rows[2]);
        assertEquals("| small | wsnetty | 3 | 160,000 | 3.0 | 210 | 710 | 1010 | 1 | 1.60 |", rows[3]);
    }
}
