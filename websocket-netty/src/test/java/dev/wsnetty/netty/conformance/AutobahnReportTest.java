package dev.wsnetty.netty.conformance;

import dev.wsnetty.netty.conformance.AutobahnReport.CaseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutobahnReportTest {
    /** The shape the suite writes, trimmed to the fields we read plus one we ignore. */
    private static final String INDEX = """
            {
               "autobahntestsuite-maven-plugin": {
                  "2.10": {"behavior": "OK", "behaviorClose": "OK", "duration": 3,
                           "remoteCloseCode": 1000, "reportfile": "plugin_case_2_10.json"},
                  "10.1.1": {"behavior": "OK", "behaviorClose": "FAILED BY CLIENT", "duration": 1001,
                             "remoteCloseCode": 1000, "reportfile": "plugin_case_10_1_1.json"},
                  "2.9": {"behavior": "NON-STRICT", "behaviorClose": "OK", "duration": 2,
                          "remoteCloseCode": null, "reportfile": "plugin_case_2_9.json"},
                  "1.1.1": {"behavior": "INFORMATIONAL", "behaviorClose": "INFORMATIONAL", "duration": 2,
                            "remoteCloseCode": 1000, "reportfile": "plugin_case_1_1_1.json"},
                  "7.3.2": {"behavior": "FAILED", "behaviorClose": "WRONG CODE", "duration": 2,
                            "remoteCloseCode": 1000, "reportfile": "plugin_case_7_3_2.json"}
               }
            }
            """;

    @Test
    void readsEveryCaseInRunOrder() {
        AutobahnReport report = AutobahnReport.parse(INDEX);

        assertEquals("autobahntestsuite-maven-plugin", report.agent());
        assertEquals(List.of("1.1.1", "2.9", "2.10", "7.3.2", "10.1.1"),
                report.cases().stream().map(CaseResult::id).toList());
        assertEquals(new CaseResult("2.9", "NON-STRICT", "OK", null, "plugin_case_2_9.json"), report.cases().get(1));
        assertEquals(1000L, report.cases().get(3).remoteCloseCode());
    }

    @Test
    void failsEveryCaseNotOkOrInformationalInBothVerdicts() {
        List<CaseResult> failures = AutobahnReport.parse(INDEX).failures();

        // NON-STRICT behavior, FAILED/WRONG CODE, and FAILED BY CLIENT on close all fail; INFORMATIONAL passes.
        assertEquals(List.of("2.9", "7.3.2", "10.1.1"), failures.stream().map(CaseResult::id).toList());
    }

    @Test
    void checkListsEachFailingCaseWithBothVerdicts(@TempDir Path dir) throws IOException {
        Path index = Files.writeString(dir.resolve("index.json"), INDEX);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AutobahnReportCheck.main(new String[] {index.toString()}));

        String message = e.getMessage();
        assertTrue(message.startsWith("3 of 5 Autobahn cases are not OK/INFORMATIONAL in both behavior and"
                + " behaviorClose (case reports in " + dir.toAbsolutePath() + "):"), message);
        assertTrue(message.contains(
                "7.3.2    behavior=FAILED        behaviorClose=WRONG CODE       remoteCloseCode=1000 plugin_case_7_3_2.json"),
                message);
        assertTrue(message.contains("2.9      behavior=NON-STRICT    behaviorClose=OK               remoteCloseCode=none"),
                message);
        assertTrue(message.contains("10.1.1   behavior=OK            behaviorClose=FAILED BY CLIENT"), message);
        assertFalse(message.contains("1.1.1"), message);
        // The whole tally follows, so a failed build shows it without the report at hand.
        assertTrue(message.endsWith(AutobahnTally.render(AutobahnReport.parse(INDEX).cases())), message);
    }

    @Test
    void checkPassesAReportWithOnlyOkAndInformational(@TempDir Path dir) throws IOException {
        Path index = Files.writeString(dir.resolve("index.json"), """
                {"agent": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK", "remoteCloseCode": 1000},
                           "6.4.1": {"behavior": "INFORMATIONAL", "behaviorClose": "INFORMATIONAL"}}}
                """);

        AutobahnReportCheck.main(new String[] {index.toString()});
    }

    @Test
    void checkFailsClearlyWithoutReportOrCases(@TempDir Path dir) throws IOException {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> AutobahnReportCheck.main(new String[] {dir.resolve("index.json").toString()}));
        assertTrue(missing.getMessage().startsWith("No Autobahn report at "), missing.getMessage());

        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"agent\": {}}");
        IllegalStateException noCase = assertThrows(IllegalStateException.class,
                () -> AutobahnReportCheck.main(new String[] {empty.toString()}));
        assertTrue(noCase.getMessage().endsWith("holds no case"), noCase.getMessage());
    }

    @Test
    void rejectsReportsOfAnotherShape() {
        assertThrows(IllegalArgumentException.class, () -> AutobahnReport.parse("{\"a\": {}, \"b\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> AutobahnReport.parse("{\"a\": {\"1.1.1\": {\"behavior\": \"OK\"}}}"));
        assertThrows(IllegalArgumentException.class, () -> AutobahnReport.parse("[]"));
    }

    @Test
    void sectionIsTheFirstPartOfTheId() {
        assertEquals("10", new CaseResult("10.1.1", "OK", "OK", null, null).section());
        assertEquals("2", new CaseResult("2.10", "OK", "OK", null, null).section());
    }
}
