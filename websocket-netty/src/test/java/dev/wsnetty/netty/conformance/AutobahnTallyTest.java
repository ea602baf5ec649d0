package dev.wsnetty.netty.conformance;

import dev.wsnetty.netty.conformance.AutobahnReport.CaseResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AutobahnTallyTest {
    private static final List<CaseResult> CASES = List.of(
            new CaseResult("1.1.1", "OK", "OK", 1000L, null),
            new CaseResult("1.1.2", "OK", "OK", 1000L, null),
            new CaseResult("6.4.3", "NON-STRICT", "OK", 1007L, null),
            new CaseResult("7.3.2", "FAILED", "WRONG CODE", 1000L, null),
            new CaseResult("10.1.1", "UNIMPLEMENTED", "UNCLEAN", null, null));

    @Test
    void countsEachVerdictPerSectionInNumericSectionOrder() {
        Map<String, Map<String, Integer>> close = AutobahnTally.count(CASES, CaseResult::behaviorClose);

        assertEquals(List.of("1.x", "6.x", "7.x", "10.x"), List.copyOf(close.keySet()));
        assertEquals(Map.of("OK", 2), close.get("1.x"));
        assertEquals(Map.of("WRONG CODE", 1), close.get("7.x"));
        assertEquals(Map.of("UNCLEAN", 1), close.get("10.x"));
    }

    @Test
    void rendersBothTablesWithTotalsAndAColumnForUnexpectedVerdicts() {
        String nl = System.lineSeparator();
        String expected = String.join(nl,
                "behavior  cases  OK  NON-STRICT  INFORMATIONAL  FAILED  UNIMPLEMENTED",
                "1.x           2   2           0              0       0              0",
                "6.x           1   0           1              0       0              0",
                "7.x           1   0           0              0       1              0",
                "10.x          1   0           0              0       0              1",
                "total         5   2           1              0       1              1",
                "",
                "behaviorClose  cases  OK  INFORMATIONAL  WRONG CODE  FAILED BY CLIENT  UNCLEAN  FAILED",
                "1.x                2   2              0           0                 0        0       0",
                "6.x                1   1              0           0                 0        0       0",
                "7.x                1   0              0           1                 0        0       0",
                "10.x               1   0              0           0                 0        1       0",
                "total              5   3              0           1                 0        1       0",
                "");

        assertEquals(expected, AutobahnTally.render(CASES));
    }
}
