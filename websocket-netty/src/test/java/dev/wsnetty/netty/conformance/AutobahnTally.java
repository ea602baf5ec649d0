package dev.wsnetty.netty.conformance;


import dev.wsnetty.netty.conformance.AutobahnReport.CaseResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Counts the verdicts of an Autobahn run per top-level section (1.x ... 10.x), separately for
 * {@code behavior} and {@code behaviorClose}, and renders the counts as two text tables.
 */
final class AutobahnTally {
    /** Columns always shown for {@code behavior}; other verdicts get a column when they occur. */
    static final List<String> BEHAVIOR_COLUMNS = List.of("OK", "NON-STRICT", "INFORMATIONAL", "FAILED");
    /** Columns always shown for {@code behaviorClose}; other verdicts get a column when they occur. */
    static final List<String> CLOSE_COLUMNS =
            List.of("OK", "INFORMATIONAL", "WRONG CODE", "FAILED BY CLIENT", "UNCLEAN", "FAILED");

    private AutobahnTally() {
    }

    /** Renders the behaviour table followed by the close-behaviour table. */
    static String render(List<CaseResult> cases) {
        return table("behavior", cases, CaseResult::behavior, BEHAVIOR_COLUMNS)
                + System.lineSeparator()
                + table("behaviorClose", cases, CaseResult::behaviorClose, CLOSE_COLUMNS);
    }

    /**
     * Counts one verdict per section.
     *
     * @return section label ({@code "7.x"}) to verdict to count, sections in numeric order
     */
    static Map<String, Map<String, Integer>> count(List<CaseResult> cases, Function<CaseResult, String> verdict) {
        Map<String, Map<String, Integer>> counts =
                new TreeMap<>(Comparator.comparingInt((String label) -> Integer.parseInt(label.substring(0, label.indexOf('.')))));
        for (CaseResult result : cases) {
            counts.computeIfAbsent(result.section() + ".x", section -> new TreeMap<>())
                    .merge(verdict.apply(result), 1, Integer::sum);
        }
        return counts;
    }

    private static String table(String title, List<CaseResult> cases, Function<CaseResult, String> verdict,
                                List<String> fixedColumns) {
        Map<String, Map<String, Integer>> counts = count(cases, verdict);
        Set<String> columns = new LinkedHashSet<>(fixedColumns);
        counts.values().forEach(perVerdict -> columns.addAll(perVerdict.keySet()));

        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of(title, "cases"));
        header.addAll(columns);
        rows.add(header);
        int[] totals = new int[columns.size()];
        counts.forEach((section, perVerdict) -> {
            List<String> row = new ArrayList<>(List.of(section,
                    String.valueOf(perVerdict.values().stream().mapToInt(Integer::intValue).sum())));
            int i = 0;
            for (String column : columns) {
                int n = perVerdict.getOrDefault(column, 0);
                totals[i++] += n;
                row.add(String.valueOf(n));
            }
            rows.add(row);
        });
        List<String> total = new ArrayList<>(List.of("total", String.valueOf(cases.size())));
        for (int n : totals) {
            total.add(String.valueOf(n));
        }
        rows.add(total);
        return format(rows);
    }

    /** Lays rows out in columns: the first left-aligned, the counts right-aligned under their headers. */
    private static String format(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            out.append(String.format("%-" + widths[0] + "s", row.get(0)));
            for (int i = 1; i < row.size(); i++) {
                out.append("  ").append(String.format("%" + widths[i] + "s", row.get(i)));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
