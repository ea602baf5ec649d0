package dev.wsnetty.netty.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of one Autobahn|Testsuite fuzzing-client run, read from its {@code index.json}: for every case
 * the {@code behavior} and {@code behaviorClose} verdicts.
 *
 * @param agent the name the suite filed the results under
 * @param cases the case results in case order (1.1.1, 1.1.2, ..., 1.2.1, ..., 10.1.1)
 */
record AutobahnReport(String agent, List<CaseResult> cases) {
    /** The verdicts we accept, for both behaviour and close behaviour; anything else fails the build. */
    static final Set<String> ACCEPTED = Set.of("OK", "INFORMATIONAL");

    /**
     * The result of one case.
     *
     * @param id the case id, such as {@code 7.3.2}
     * @param behavior the verdict on the echoed messages and pongs
     * @param behaviorClose the verdict on the closing handshake
     * @param remoteCloseCode the code of the server's Close frame, or {@code null} if it sent none or an empty one
     * @param reportFile the case's detailed report, relative to the directory of {@code index.json}
     */
    record CaseResult(String id, String behavior, String behaviorClose, Long remoteCloseCode, String reportFile) {
        /** Whether both verdicts are {@link #ACCEPTED}. */
        boolean passes() {
            return ACCEPTED.contains(behavior) && ACCEPTED.contains(behaviorClose);
        }

        /** The top-level section of the case, such as {@code 7} for 7.3.2. */
        String section() {
            return id.substring(0, id.indexOf('.'));
        }
    }

    /** Orders case ids numerically part by part, as the suite runs them (2.10 after 2.9). */
    static final Comparator<String> CASE_ORDER = (a, b) -> {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int cmp = Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i]));
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(left.length, right.length);
    };

    /**
     * Reads a report file.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a one-agent Autobahn index
     */
    static AutobahnReport read(Path indexJson) throws IOException {
        return parse(Files.readString(indexJson, StandardCharsets.UTF_8));
    }

    /**
     * Parses the text of an {@code index.json}: {@code {agent: {caseId: {behavior, behaviorClose,
     * remoteCloseCode, reportfile, ...}}}}.
     *
     * @throws IllegalArgumentException if it is not JSON of that shape with exactly one agent
     */
    static AutobahnReport parse(String json) {
        Map<String, Object> agents = asObject(JsonReader.parse(json), "the report");
        if (agents.size() != 1) {
            throw new IllegalArgumentException("expected the results of exactly one agent, found " + agents.keySet());
        }
        Map.Entry<String, Object> agent = agents.entrySet().iterator().next();
        List<CaseResult> cases = new ArrayList<>();
        asObject(agent.getValue(), "agent " + agent.getKey()).forEach((id, value) -> {
            Map<String, Object> result = asObject(value, "case " + id);
            cases.add(new CaseResult(id,
                    text(result, "behavior", id),
                    text(result, "behaviorClose", id),
                    result.get("remoteCloseCode") instanceof Number code ? code.longValue() : null,
                    (String) result.get("reportfile")));
        });
        cases.sort(Comparator.comparing(CaseResult::id, CASE_ORDER));
        return new AutobahnReport(agent.getKey(), List.copyOf(cases));
    }

    /** The cases whose behaviour or close behaviour is not {@link #ACCEPTED}, in case order. */
    List<CaseResult> failures() {
        return cases.stream().filter(result -> !result.passes()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static String text(Map<String, Object> result, String field, String id) {
        if (!(result.get(field) instanceof String value)) {
            throw new IllegalArgumentException("case " + id + " has no " + field + " verdict");
        }
        return value;
    }
}
