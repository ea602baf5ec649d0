package dev.wsnetty.netty.conformance;


import dev.wsnetty.netty.conformance.AutobahnReport.CaseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The build's Autobahn gate, run after the autobahntestsuite-maven-plugin and by the Autobahn runs of
 * {@link AutobahnBlockingServerIT} and {@link AutobahnClientIT}: reads a report's {@code index.json}, gives a
 * per-section tally of both verdicts and fails unless every case is OK or INFORMATIONAL in both
 * {@code behavior} and {@code behaviorClose}. (The plugin itself only fails on {@code behavior} and lets
 * NON-STRICT pass.)
 */
public final class AutobahnReportCheck {
    /**
     * Where the plugin writes its report: relative to the working directory of the Maven JVM (the directory
     * Maven was started from), not to the module.
     */
    static final String DEFAULT_REPORT = "target/autobahntestsuite-reports/index.json";

    private AutobahnReportCheck() {
    }

    /**
     * Checks a report.
     *
     * @param args optionally the path of {@code index.json}; {@value #DEFAULT_REPORT} otherwise
     * @throws IOException if the report cannot be read
     * @throws IllegalStateException as {@link #check(Path)}
     */
    public static void main(String[] args) throws IOException {
        check(Path.of(args.length > 0 ? args[0] : DEFAULT_REPORT));
    }

    /**
     * Checks a report: prints its tally when every case passes, throws with the failing cases and the tally
     * otherwise.
     *
     * @param indexJson the report's {@code index.json}
     * @return the report, every case of it OK or INFORMATIONAL in both verdicts
     * @throws IOException if the report cannot be read
     * @throws IllegalStateException listing the failing cases with both verdicts, then the tally, if any case
     *                               failed, or if there is no report or it holds no case
     */
    static AutobahnReport check(Path indexJson) throws IOException {
        Path index = indexJson.toAbsolutePath();
        if (!Files.isRegularFile(index)) {
            throw new IllegalStateException("No Autobahn report at " + index + ": the autobahntestsuite plugin"
                    + " writes it relative to the directory Maven was started from; run this check from there");
        }
        AutobahnReport report = AutobahnReport.read(index);
        if (report.cases().isEmpty()) {
            throw new IllegalStateException("The Autobahn report " + index + " holds no case");
        }
        String tally = "Autobahn|Testsuite results for " + report.agent() + ", " + index + System.lineSeparator()
                + AutobahnTally.render(report.cases());
        List<CaseResult> failures = report.failures();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(describe(failures, report.cases().size(), index.getParent())
                    + System.lineSeparator() + tally);
        }
        System.out.println(tally);
        System.out.println("All " + report.cases().size()
                + " Autobahn cases are OK or INFORMATIONAL in both behavior and behaviorClose.");
        return report;
    }

    /** The failure message: a count, then one line per failing case with both verdicts and its report file. */
    static String describe(List<CaseResult> failures, int total, Path reportDir) {
        StringBuilder message = new StringBuilder()
                .append(failures.size()).append(" of ").append(total)
                .append(" Autobahn cases are not OK/INFORMATIONAL in both behavior and behaviorClose")
                .append(" (case reports in ").append(reportDir).append("):");
        for (CaseResult result : failures) {
            message.append(System.lineSeparator()).append(String.format(
                    "  %-8s behavior=%-13s behaviorClose=%-16s remoteCloseCode=%-4s %s",
                    result.id(), result.behavior(), result.behaviorClose(),
                    result.remoteCloseCode() == null ? "none" : result.remoteCloseCode(),
                    result.reportFile() == null ? "" : result.reportFile()));
        }
        return message.toString();
    }
}
